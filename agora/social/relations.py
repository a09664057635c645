"""Who hides whom: block and mute sets for one reader, read once per request."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from agora.social import hotcache
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


RF_TTL = 300
CELEBS_TTL = 300


def rf_cache_key(user_id: int) -> str:
    return f"agora:rf2:{user_id}"


def celebs_cache_key(user_id: int) -> str:
    return f"agora:cel:{user_id}"


def forget_relations(*user_ids: int) -> None:
    """Drop cached block/mute sets and celebrity followees once a relationship change commits."""
    keys = [k for u in user_ids for k in (rf_cache_key(u), celebs_cache_key(u))]
    transaction.on_commit(lambda: hotcache.delete_many(keys), robust=True)


# Cached as plain strings ("blocked ids;muted ids", "celebrity ids"), not pickled: the home read's
# Lua script reads them (agora/feeds/homeread.py).
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
    raw = hotcache.get_or_set(rf_cache_key(user.id), lambda: encode_filter(_load_reader_filter(user)), RF_TTL)
    rf = decode_filter(user.id, raw)
    if not mutes:
        rf.muted = set()
    return rf


def _load_reader_filter(user) -> ReaderFilter:
    blocked: set[int] = set()
    for account_id, target_id in Block.objects.filter(
        Q(account_id=user.id) | Q(target_id=user.id)
    ).values_list("account_id", "target_id"):
        blocked.add(target_id if account_id == user.id else account_id)
    muted = set(Mute.objects.filter(account_id=user.id).values_list("target_id", flat=True))
    return ReaderFilter(user.id, blocked, muted)


def is_blocked_either_way(a_id: int, b_id: int) -> bool:
    return Block.objects.filter(
        Q(account_id=a_id, target_id=b_id) | Q(account_id=b_id, target_id=a_id)
    ).exists()


def follows(follower_id: int, followee_id: int) -> bool:
    return Follow.objects.filter(follower_id=follower_id, followee_id=followee_id).exists()
