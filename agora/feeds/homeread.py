"""The home timeline's candidate ids on Redis in one round trip (the API's hottest path).

One Lua script reads the reader's block/mute sets and celebrity list, their stored page and the
celebrities' outbox pages, and merges them newest first. Through redis-py that was three round
trips with a dozen commands (docs/performance.md). When something is not there (a cold reader, an
evicted timeline or outbox) the script answers nothing and the caller takes the general path, which
rebuilds it.

The script also returns the tag that heads each candidate's cached JSON (and the JSON of the status
it reposts): the process reuses the entries it already holds with those tags and fetches only the
others (agora/social/timeline_json.py), so a warm read has no MGET. The JSON itself does not go
through the script: passing 45 kB through Lua cost Redis 110 us a read against 6 us for an MGET.

The script reads keys it derives (outboxes), which one Redis server allows and Redis Cluster would
not: the production profile runs one Redis for timelines and this cache.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from agora.feeds.store import SENTINEL, RedisStore, get_store
from agora.social.relations import ReaderFilter, celebs_cache_key, decode_filter, rf_cache_key
from agora.social.serializers import SJ_PREFIX
from agora.social.timeline_json import HEAD_BYTES

# KEYS: reader's filter, celebrity list, home timeline. ARGV: upper and lower lex bounds, members
# to read per list, ids wanted, outbox key prefix, the sentinel's id, the status JSON key prefix and
# how many bytes hold an entry's head. Members are "<20-digit id>:<account>", so string order is id
# order (Lua numbers cannot hold 64-bit ids).
_SCRIPT = """
local rf = redis.call('GET', KEYS[1])
local celebs = redis.call('GET', KEYS[2])
if not rf or not celebs or redis.call('EXISTS', KEYS[3]) == 0 then return false end
local upper, lower, per, want = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local lists = {redis.call('ZREVRANGEBYLEX', KEYS[3], upper, lower, 'LIMIT', 0, per)}
for c in string.gmatch(celebs, '%d+') do
  local key = ARGV[5] .. c
  if redis.call('EXISTS', key) == 0 then return false end
  lists[#lists + 1] = redis.call('ZREVRANGEBYLEX', key, upper, lower, 'LIMIT', 0, per)
end
-- Each list is newest first: merge them, dropping repeats (the same id sorts adjacent).
local heads, page, last = {}, {}, nil
for i = 1, #lists do heads[i] = 1 end
while #page < want do
  local best, from = nil, nil
  for i = 1, #lists do
    local m = lists[i][heads[i]]
    if m and (not best or m > best) then best, from = m, i end
  end
  if not best then break end
  heads[from] = heads[from] + 1
  local id = string.sub(best, 1, 20)
  if id ~= last and id ~= ARGV[6] then page[#page + 1] = string.match(id, '^0*(%d+)$') end
  last = id
end
-- Each candidate's entry head "tag|author|reblog of|...": "id:tag" ('' when not cached), and the
-- same for the status it reposts. Ids and tags go back as one string each: cheaper to read.
local tags, seen = {}, {}
local function tag(id)
  if seen[id] then return end
  seen[id] = true
  local head = redis.call('GETRANGE', ARGV[7] .. id, 0, ARGV[8] - 1)
  local t, reblog = string.match(head, '^([^|]*)|[^|]*|([^|]*)|')
  tags[#tags + 1] = id .. ':' .. (t or '')
  if reblog and reblog ~= '' then tag(reblog) end
end
for i = 1, #page do tag(page[i]) end
return {rf, table.concat(page, ','), table.concat(tags, ',')}
"""
_scripts: dict[int, Any] = {}


class HomeRead(NamedTuple):
    rf: ReaderFilter
    ids: list[int]  # candidates for the page, newest first
    tags: dict[int, str]  # cached JSON's tag of each candidate and reposted status ("": none)


def read(user_id: int, *, max_id: int | None, since_id: int | None, want: int) -> HomeRead | None:
    """Up to `want` candidate ids older than max_id and newer than since_id, or None: general path."""
    store = get_store()
    if not isinstance(store, RedisStore):
        return None
    r = store.r  # the hot cache's Redis too (hotcache.hot_redis_url)
    script = _scripts.get(id(r))
    if script is None:
        script = _scripts[id(r)] = r.register_script(_SCRIPT)
    upper = f"({max_id:020d}" if max_id is not None else "+"
    lower = f"[{since_id:020d};" if since_id is not None else "-"
    got = script(
        keys=[rf_cache_key(user_id), celebs_cache_key(user_id), store.key(user_id)],
        args=[upper, lower, want + 1, want, store.OUTBOX_PREFIX, SENTINEL[:20], SJ_PREFIX, HEAD_BYTES],
    )
    if got is None:
        return None
    rf_raw, page, heads = got
    tags = {}
    for head in heads.decode().split(",") if heads else ():
        i, tag = head.split(":")
        tags[int(i)] = tag
    return HomeRead(decode_filter(user_id, rf_raw.decode()), [int(i) for i in page.split(b",") if i], tags)
