"""The home timeline's candidate ids on Redis in one round trip (the API's hottest path): the fast
twin of the general path in agora/feeds/selectors.py (`home_timeline_page`), used when
AGORA_FAST_PATHS is on and the timelines are on Redis. Tests run both and compare the bytes.

One Lua script reads the reader's block/mute sets and celebrity list, their stored page and the
celebrities' outbox pages, and merges them newest first. Through redis-py that was three round
trips with a dozen commands (docs/performance.md). When the reader's cached lists have expired,
they are loaded and the script runs again; when something else is not there (a cold reader, an
evicted timeline or outbox) the script answers nothing and the caller takes the general path, which
rebuilds it.

The script also returns the tag of each candidate's cached JSON (and of the status it reposts),
read from small keys beside the JSON: the process reuses the entries it already holds with those
tags and fetches only the others (agora/social/timeline_json.py), so a warm read has no MGET. The
JSON itself does not go through the script: passing 45 kB through Lua cost Redis 110 us a read
against 6 us for an MGET, and reading each entry's first bytes (GETRANGE) 90 us against one MGET of
the small keys.

The script reads keys it derives (outboxes), which one Redis server allows and Redis Cluster would
not: the production profile runs one Redis for timelines and this cache.
"""

from __future__ import annotations

from typing import NamedTuple

from django.conf import settings

from agora.accounts.models import User
from agora.core.luascript import LuaScript
from agora.core.pagination import PageParams
from agora.feeds.store import SENTINEL, SLACK, RedisStore, get_store
from agora.social.relations import (
    ReaderFilter,
    celebs_cache_key,
    decode_filter,
    refill_reader_lists,
    rf_cache_key,
)
from agora.social.serializers import TAG_PREFIX
from agora.social.timeline_json import timeline_page

# KEYS: reader's filter, celebrity list, home timeline. ARGV: upper and lower lex bounds, members
# to read per list, ids wanted, outbox key prefix, the sentinel member, the status tag key prefix.
# Members are "<20-digit id>:<author>", so string order is id order (Lua numbers cannot hold 64-bit
# ids), and one status is the same member in every list. Ids stay 20 digits (Python's int() reads
# them), so they need no pattern matching here.
_SCRIPT = """
local rf = redis.call('GET', KEYS[1])
local celebs = redis.call('GET', KEYS[2])
if not rf or not celebs then return 0 end
if redis.call('EXISTS', KEYS[3]) == 0 then return false end
local upper, lower, per, want = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local home = redis.call('ZREVRANGEBYLEX', KEYS[3], upper, lower, 'LIMIT', 0, per)
local lists = {home}
-- Nothing older than the stored page's want-th member can make the page (the stored list alone has
-- want newer ones): the outboxes are read only down to it.
if #home >= want then
  local cut = '[' .. home[want]
  if lower == '-' or string.sub(cut, 2) > string.sub(lower, 2) then lower = cut end
end
for c in string.gmatch(celebs, '%d+') do
  local key = ARGV[5] .. c
  if redis.call('EXISTS', key) == 0 then return false end
  lists[#lists + 1] = redis.call('ZREVRANGEBYLEX', key, upper, lower, 'LIMIT', 0, per)
end
-- Each list is newest first: merge them, dropping repeats (equal members sort adjacent).
local nl, at, page, n, last = #lists, {}, {}, 0, nil
for i = 1, nl do at[i] = 1 end
while n < want do
  local best, from = nil, nil
  for i = 1, nl do
    local m = lists[i][at[i]]
    if m and (not best or m > best) then best, from = m, i end
  end
  if not best then break end
  at[from] = at[from] + 1
  if best ~= last and best ~= ARGV[6] then
    n = n + 1
    page[n] = string.sub(best, 1, 20)
  end
  last = best
end
-- "id:tag" of each candidate's cached JSON ('' when not cached), then of the statuses they repost,
-- from the "tag|reposted id" keys beside the entries. Ids and tags go back as one string each.
local tags, inner = {}, {}
local function tag_of(ids, more)
  if #ids == 0 then return end
  local keys = {}
  for i = 1, #ids do keys[i] = ARGV[7] .. ids[i] end
  local got = redis.call('MGET', unpack(keys))
  for i = 1, #ids do
    local t, reblog = '', ''
    if got[i] then t, reblog = string.match(got[i], '^([^|]*)|(.*)$') end
    tags[#tags + 1] = ids[i] .. ':' .. t
    if more and reblog ~= '' then more[#more + 1] = reblog end
  end
end
tag_of(page, inner)
tag_of(inner, nil)
return {rf, table.concat(page, ','), table.concat(tags, ',')}
"""
_READ = LuaScript(_SCRIPT)


class HomeRead(NamedTuple):
    rf: ReaderFilter
    ids: list[int]  # candidates for the page, newest first
    tags: dict[int, str]  # cached JSON's tag of each candidate and reposted status ("": none)


def read(user_id: int, page: PageParams) -> HomeRead | None:
    """The page's candidate ids (a few more than asked, to cover entries dropped at read), or None
    when the general path must serve it: catching up from min_id, timelines not on Redis, fast
    paths off, something not stored."""
    if page.min_id is not None or not settings.AGORA.fast_paths:
        return None
    return candidates(user_id, max_id=page.max_id, since_id=page.since_id, want=page.capped_limit + SLACK)


def candidates(user_id: int, *, max_id: int | None, since_id: int | None, want: int) -> HomeRead | None:
    """Up to `want` candidate ids older than max_id and newer than since_id, or None: general path."""
    store = get_store()
    if not isinstance(store, RedisStore):
        return None
    upper = f"({max_id:020d}" if max_id is not None else "+"
    lower = f"[{since_id:020d};" if since_id is not None else "-"
    keys = [rf_cache_key(user_id), celebs_cache_key(user_id), store.key(user_id)]
    args = [upper, lower, want + 1, want, store.OUTBOX_PREFIX, SENTINEL, TAG_PREFIX]
    # store.r is the hot cache's Redis too (hotcache.hot_redis_url)
    got = _READ(store.r, keys, args)
    if got == 0:  # the reader's block/mute sets or celebrity list expired
        refill_reader_lists(user_id)
        got = _READ(store.r, keys, args)
    if not isinstance(got, list):
        return None
    rf_raw, page, heads = got
    tags = {}
    for head in heads.decode().split(",") if heads else ():
        i, tag = head.split(":")
        tags[int(i)] = tag
    return HomeRead(decode_filter(user_id, rf_raw.decode()), [int(i) for i in page.split(b",") if i], tags)


def home_timeline_page(user: User, page: PageParams, cut) -> tuple[bytes, list[int]] | None:
    """selectors.home_timeline_page for an active reader, or None: the general path serves it."""
    fast = read(user.id, page)
    if fast is None:
        return None
    return timeline_page(fast.ids, user, fast.rf, cut, fast.tags)
