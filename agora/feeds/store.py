"""Home timeline stores: where each reader's list of status ids lives.

SqlStore (embedded profile) keeps rows in feeds_homeentry; RedisStore (production, chosen when
AGORA_REDIS_URL is set) keeps one sorted set per reader capped at AGORA_TIMELINE_MAX_ENTRIES.
A reader with no stored timeline (new, evicted, or inactive) is rebuilt from the database on read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Protocol

from django.conf import settings

from agora.core.redis import client as redis_client
from agora.core.redis import hot_redis_url
from agora.feeds.models import HomeBuilt, HomeEntry

Entry = tuple[int, int]  # (status id, id of the account that put it there: author or reposter)

# Entries dropped at read (deleted, blocked, muted) leave a short page; a read takes this many more.
SLACK = 10


class TimelineStore(Protocol):
    def exists(self, owner_id: int) -> bool: ...
    def replace(self, owner_id: int, entries: Sequence[Entry]) -> None: ...
    def push(self, owner_ids: Iterable[int], entry: Entry) -> None: ...
    def merge(self, owner_id: int, entries: Sequence[Entry]) -> None: ...
    def page(self, owner_id: int, *, max_id: int | None, since_id: int | None, limit: int) -> list[int]: ...
    def remove(self, owner_ids: Iterable[int], entry: Entry) -> None: ...
    def remove_author(self, owner_id: int, author_id: int) -> None: ...
    def drop(self, owner_id: int) -> None: ...
    def page_or_none(
        self, owner_id: int, *, max_id: int | None, since_id: int | None, limit: int
    ) -> list[int] | None: ...
    def outbox_push(self, author_id: int, entry: Entry) -> None: ...
    def home_and_outboxes(
        self,
        owner_id: int,
        author_ids: Sequence[int],
        *,
        max_id: int | None,
        since_id: int | None,
        limit: int,
    ) -> tuple[list[int] | None, list[int]]: ...
    def outbox_remove(self, author_id: int, entry: Entry) -> None: ...
    def outbox_page(
        self, author_ids: Sequence[int], *, max_id: int | None, since_id: int | None, limit: int
    ) -> list[int]: ...


class SqlStore:
    def exists(self, owner_id: int) -> bool:
        return HomeBuilt.objects.filter(owner_id=owner_id).exists()

    def replace(self, owner_id: int, entries: Sequence[Entry]) -> None:
        HomeEntry.objects.filter(owner_id=owner_id).delete()
        self.merge(owner_id, entries, only_if_built=False)
        HomeBuilt.objects.get_or_create(owner_id=owner_id)

    def push(self, owner_ids: Iterable[int], entry: Entry) -> None:
        owner_ids = list(owner_ids)
        # Only timelines that exist get the entry; the others are rebuilt in full when read.
        built = HomeBuilt.objects.filter(owner_id__in=owner_ids).values_list("owner_id", flat=True)
        HomeEntry.objects.bulk_create(
            [HomeEntry(owner_id=o, status_id=entry[0], author_id=entry[1]) for o in built],
            ignore_conflicts=True,
            batch_size=1000,
        )

    def merge(self, owner_id: int, entries: Sequence[Entry], *, only_if_built: bool = True) -> None:
        if only_if_built and not self.exists(owner_id):
            return
        HomeEntry.objects.bulk_create(
            [HomeEntry(owner_id=owner_id, status_id=s, author_id=a) for s, a in entries],
            ignore_conflicts=True,
            batch_size=1000,
        )

    def page(self, owner_id: int, *, max_id: int | None, since_id: int | None, limit: int) -> list[int]:
        qs = HomeEntry.objects.filter(owner_id=owner_id)
        if max_id is not None:
            qs = qs.filter(status_id__lt=max_id)
        if since_id is not None:
            qs = qs.filter(status_id__gt=since_id)
        return list(qs.order_by("-status_id").values_list("status_id", flat=True)[:limit])

    def remove(self, owner_ids: Iterable[int], entry: Entry) -> None:
        HomeEntry.objects.filter(status_id=entry[0]).delete()

    def remove_author(self, owner_id: int, author_id: int) -> None:
        HomeEntry.objects.filter(owner_id=owner_id, author_id=author_id).delete()

    def drop(self, owner_id: int) -> None:
        HomeEntry.objects.filter(owner_id=owner_id).delete()
        HomeBuilt.objects.filter(owner_id=owner_id).delete()

    def page_or_none(
        self, owner_id: int, *, max_id: int | None, since_id: int | None, limit: int
    ) -> list[int] | None:
        if not self.exists(owner_id):
            return None
        return self.page(owner_id, max_id=max_id, since_id=since_id, limit=limit)

    def home_and_outboxes(
        self,
        owner_id: int,
        author_ids: Sequence[int],
        *,
        max_id: int | None,
        since_id: int | None,
        limit: int,
    ) -> tuple[list[int] | None, list[int]]:
        return (
            self.page_or_none(owner_id, max_id=max_id, since_id=since_id, limit=limit),
            self.outbox_page(author_ids, max_id=max_id, since_id=since_id, limit=limit),
        )

    # Celebrities' posts are read straight from the status table in the embedded profile.
    def outbox_push(self, author_id: int, entry: Entry) -> None:
        pass

    def outbox_remove(self, author_id: int, entry: Entry) -> None:
        pass

    def outbox_page(
        self, author_ids: Sequence[int], *, max_id: int | None, since_id: int | None, limit: int
    ) -> list[int]:
        return outbox_ids_from_db(author_ids, max_id=max_id, since_id=since_id, limit=limit)


# Members are "<20-digit status id>:<account id>" with score 0, so ZRANGEBYLEX orders them exactly
# by id: 64-bit ids do not fit a float score without losing their low bits.
SENTINEL = "0" * 20 + ":0"  # keeps an empty timeline's key alive, so "no key" always means "rebuild"
_PUSH = """
local cap = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then
    redis.call('ZADD', key, 0, ARGV[1])
    local n = redis.call('ZCARD', key)
    if n > cap + 1 then redis.call('ZREMRANGEBYRANK', key, 1, n - cap - 1) end
  end
end
return 0
"""


def _member(entry: Entry) -> str:
    return f"{entry[0]:020d}:{entry[1]}"


class RedisStore:
    def __init__(self, url: str, *, cap: int, ttl_seconds: int) -> None:
        self.r = redis_client(url)
        self.cap = cap
        self.ttl = ttl_seconds
        self._push = self.r.register_script(_PUSH)

    def key(self, owner_id: int) -> str:
        return f"agora:home:{owner_id}"

    def exists(self, owner_id: int) -> bool:
        return bool(self.r.exists(self.key(owner_id)))

    def replace(self, owner_id: int, entries: Sequence[Entry]) -> None:
        key = self.key(owner_id)
        members = {_member(e): 0 for e in sorted(entries, reverse=True)[: self.cap]}
        members[SENTINEL] = 0
        pipe = self.r.pipeline(transaction=True)
        pipe.delete(key)
        pipe.zadd(key, members)
        pipe.expire(key, self.ttl)
        pipe.execute()

    def push(self, owner_ids: Iterable[int], entry: Entry) -> None:
        keys = [self.key(o) for o in owner_ids]
        member = _member(entry)
        for start in range(0, len(keys), 500):
            self._push(keys=keys[start : start + 500], args=[member, self.cap])

    def merge(self, owner_id: int, entries: Sequence[Entry]) -> None:
        for e in entries:
            self._push(keys=[self.key(owner_id)], args=[_member(e), self.cap])

    def page(self, owner_id: int, *, max_id: int | None, since_id: int | None, limit: int) -> list[int]:
        upper = f"({max_id:020d}" if max_id is not None else "+"
        lower = f"[{since_id:020d};" if since_id is not None else "-"
        members = self.r.zrevrangebylex(self.key(owner_id), upper, lower, start=0, num=limit + 1)
        ids = [int(m[:20]) for m in members]
        return [i for i in ids if i][:limit]

    def remove(self, owner_ids: Iterable[int], entry: Entry) -> None:
        member = _member(entry)
        pipe = self.r.pipeline(transaction=False)
        for n, owner in enumerate(owner_ids):
            pipe.zrem(self.key(owner), member)
            if n % 1000 == 999:
                pipe.execute()
        pipe.execute()

    def remove_author(self, owner_id: int, author_id: int) -> None:
        suffix = f":{author_id}".encode()
        members = [
            m for m in self.r.zrange(self.key(owner_id), 0, -1) if isinstance(m, bytes) and m.endswith(suffix)
        ]
        if members:
            self.r.zrem(self.key(owner_id), *members)

    def drop(self, owner_id: int) -> None:
        self.r.delete(self.key(owner_id))

    def page_or_none(
        self, owner_id: int, *, max_id: int | None, since_id: int | None, limit: int
    ) -> list[int] | None:
        # One round trip: "is there a stored timeline?" and "its page".
        upper = f"({max_id:020d}" if max_id is not None else "+"
        lower = f"[{since_id:020d};" if since_id is not None else "-"
        pipe = self.r.pipeline(transaction=False)
        pipe.exists(self.key(owner_id))
        pipe.zrevrangebylex(self.key(owner_id), upper, lower, start=0, num=limit + 1)
        exists, members = pipe.execute()
        if not exists:
            return None
        return [i for i in (int(m[:20]) for m in members) if i][:limit]

    # A celebrity's outbox: their recent posts, merged into followers' timelines when read.
    OUTBOX_PREFIX = "agora:out:"

    def outbox_key(self, author_id: int) -> str:
        return f"{self.OUTBOX_PREFIX}{author_id}"

    def outbox_push(self, author_id: int, entry: Entry) -> None:
        self._push(keys=[self.outbox_key(author_id)], args=[_member(entry), self.cap])

    def outbox_remove(self, author_id: int, entry: Entry) -> None:
        self.r.zrem(self.outbox_key(author_id), _member(entry))

    def outbox_page(
        self, author_ids: Sequence[int], *, max_id: int | None, since_id: int | None, limit: int
    ) -> list[int]:
        return self._read(None, author_ids, max_id=max_id, since_id=since_id, limit=limit)[1]

    def home_and_outboxes(
        self,
        owner_id: int,
        author_ids: Sequence[int],
        *,
        max_id: int | None,
        since_id: int | None,
        limit: int,
    ) -> tuple[list[int] | None, list[int]]:
        return self._read(owner_id, author_ids, max_id=max_id, since_id=since_id, limit=limit)

    def _read(
        self,
        owner_id: int | None,
        author_ids: Sequence[int],
        *,
        max_id: int | None,
        since_id: int | None,
        limit: int,
    ) -> tuple[list[int] | None, list[int]]:
        """The reader's page and the celebrities' outbox pages in one round trip."""
        upper = f"({max_id:020d}" if max_id is not None else "+"
        lower = f"[{since_id:020d};" if since_id is not None else "-"
        keys = ([self.key(owner_id)] if owner_id is not None else []) + [
            self.outbox_key(a) for a in author_ids
        ]
        if not keys:
            return None, []
        pipe = self.r.pipeline(transaction=False)
        for key in keys:
            pipe.exists(key)
            pipe.zrevrangebylex(key, upper, lower, start=0, num=limit + 1)
        replies = pipe.execute()
        home: list[int] | None = None
        first = 0
        if owner_id is not None:
            first = 1
            if replies[0]:
                home = [i for i in (int(m[:20]) for m in replies[1]) if i][:limit]
        ids: list[int] = []
        missing = []
        for n, a in enumerate(author_ids, start=first):
            if not replies[2 * n]:
                missing.append(a)
            ids.extend(i for i in (int(m[:20]) for m in replies[2 * n + 1]) if i)
        for a in missing:  # rebuilt from the database on a miss
            rows = outbox_ids_from_db([a], max_id=None, since_id=None, limit=self.cap)
            key = self.outbox_key(a)
            members = {_member((i, a)): 0 for i in rows}
            members[SENTINEL] = 0
            pipe = self.r.pipeline(transaction=True)
            pipe.delete(key)
            pipe.zadd(key, members)
            pipe.expire(key, self.ttl)
            pipe.execute()
            ids.extend(
                i for i in rows if (max_id is None or i < max_id) and (since_id is None or i > since_id)
            )
        return home, ids


def outbox_ids_from_db(
    author_ids: Sequence[int], *, max_id: int | None, since_id: int | None, limit: int
) -> list[int]:
    """Posts of these authors that belong in their followers' home timelines, newest first."""
    from django.db.models import F, Q

    from agora.social.models import Status, Visibility

    if not author_ids:
        return []
    qs = (
        Status.objects.filter(author_id__in=list(author_ids))
        .exclude(visibility=Visibility.DIRECT)
        .filter(Q(in_reply_to_account_id__isnull=True) | Q(in_reply_to_account_id=F("author_id")))
    )
    if max_id is not None:
        qs = qs.filter(id__lt=max_id)
    if since_id is not None:
        qs = qs.filter(id__gt=since_id)
    return list(qs.order_by("-id").values_list("id", flat=True)[:limit])


@lru_cache(maxsize=1)
def _redis_store(url: str) -> RedisStore:
    agora = settings.AGORA
    return RedisStore(url, cap=agora.timeline_max_entries, ttl_seconds=agora.fanout_inactive_days * 86400)


def get_store() -> TimelineStore:
    url = hot_redis_url()  # the same Redis as the hot cache: the home read's script uses both
    if url:
        return _redis_store(url)
    return SqlStore()
