"""Who hides whom, and whom a reader follows above the fan-out threshold: the two per-reader lists
the timelines read, cached."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Value

from agora.core import hotcache
from agora.social import fastpath
from agora.social.models import Block, Follow, Mute


@dataclass
class ReaderFilter:
    """What one reader may not see: accounts blocked either way, and accounts they mute."""

    user_id: int | None
    blocked: set[int] = field(default_factory=set)  # blocks in either direction
    muted: set[int] = field(default_factory=set)

    @property
    def hidden(self) -> set[int]:
        return self.blocked | self.muted

    def blocks(self, account_id: int) -> bool:
        return account_id in self.blocked


# Also bounds how late readers merge a followee who crosses the fan-out threshold (ADR 0003).
LISTS_TTL = 300


def rf_cache_key(user_id: int) -> str:
    return f"agora:rf2:{user_id}"


def celebs_cache_key(user_id: int) -> str:
    return f"agora:cel:{user_id}"


def forget_relations(*user_ids: int) -> None:
    """Drop cached block/mute sets and celebrity followees once a relationship change commits."""
    keys = [k for u in user_ids for k in (rf_cache_key(u), celebs_cache_key(u))]
    transaction.on_commit(lambda: hotcache.delete_many(keys), robust=True)


# Cached as plain strings ("blocked ids;muted ids", "celebrity ids"), not pickled: the home read's
# Lua script reads them (agora/feeds/fastpath.py).
def ids_str(ids: Iterable[int]) -> str:
    return ",".join(str(i) for i in sorted(ids))


def str_ids(raw: str) -> list[int]:
    return [int(i) for i in raw.split(",") if i]


def encode_filter(rf: ReaderFilter) -> str:
    return f"{ids_str(rf.blocked)};{ids_str(rf.muted)}"


def decode_filter(user_id: int, raw: str) -> ReaderFilter:
    blocked, muted = raw.split(";")
    return ReaderFilter(user_id, set(str_ids(blocked)), set(str_ids(muted)))


def reader_filter(user, *, mutes: bool = True) -> ReaderFilter:
    if user is None or not user.is_authenticated:
        return ReaderFilter(None)
    rf = decode_filter(user.id, _cached(rf_cache_key(user.id), user.id))
    if not mutes:
        rf.muted = set()
    return rf


def celebrity_followees(user) -> list[int]:
    """The accounts over the fan-out threshold the reader follows (cached; follows drop the entry)."""
    return str_ids(_cached(celebs_cache_key(user.id), user.id))


def _cached(key: str, user_id: int) -> str:
    raw = hotcache.get_strings([key]).get(key)
    return raw if raw is not None else refill_reader_lists(user_id)[key]


def load_reader_lists(user_id: int) -> tuple[set[int], set[int], set[int]]:
    """Accounts blocked either way, muted, and followed over the fan-out threshold: one query."""
    if fastpath.enabled():
        return fastpath.load_reader_lists(user_id)
    blocks = Block.objects.filter(account_id=user_id).annotate(kind=Value(0)).values_list("kind", "target_id")
    blockers = (
        Block.objects.filter(target_id=user_id).annotate(kind=Value(0)).values_list("kind", "account_id")
    )
    mutes = Mute.objects.filter(account_id=user_id).annotate(kind=Value(1)).values_list("kind", "target_id")
    celebs = (
        Follow.objects.filter(
            follower_id=user_id, followee__followers_count__gt=settings.AGORA.fanout_threshold
        )
        .annotate(kind=Value(2))
        .values_list("kind", "followee_id")
    )
    lists: tuple[set[int], set[int], set[int]] = (set(), set(), set())
    for kind, account_id in blocks.union(blockers, mutes, celebs, all=True):
        lists[kind].add(account_id)
    return lists


def refill_reader_lists(user_id: int) -> dict[str, str]:
    """Load both cached lists of a reader, store them together and return them by key.

    The home read calls this when either has expired rather than leave the read to the general
    path, which cost four to five times a warm read (docs/performance.md). Storing both restarts
    both clocks: they expire about together and cost one refill, not two."""
    blocked, muted, celebs = load_reader_lists(user_id)
    values = {
        rf_cache_key(user_id): encode_filter(ReaderFilter(user_id, blocked, muted)),
        celebs_cache_key(user_id): ids_str(celebs),
    }
    hotcache.set_strings(values, LISTS_TTL)
    return values


def is_blocked_either_way(a_id: int, b_id: int) -> bool:
    return Block.objects.filter(
        Q(account_id=a_id, target_id=b_id) | Q(account_id=b_id, target_id=a_id)
    ).exists()


def follows(follower_id: int, followee_id: int) -> bool:
    return Follow.objects.filter(follower_id=follower_id, followee_id=followee_id).exists()
