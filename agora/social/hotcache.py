"""The cache for the timeline hot path: a long-lived Redis client in production, Django's cache otherwise.

Django's RedisCache builds a new redis.Redis client object on every call (about 1 ms each with
redis-py 8 on this machine), so this keeps one client per process instead. Values are strings,
stored as they are (not pickled): a Lua script reads some of them (agora/feeds/homeread.py), and
each caller's own format reads back faster than a pickle.

The home timeline's stored lists and this cache must share one Redis (the home read's script touches
both): `hot_redis_url()` is that Redis for both.
"""

from __future__ import annotations

import random
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache


@lru_cache(maxsize=1)
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url)


def hot_redis_url() -> str:
    """AGORA_REDIS_URL; tests pin another with the AGORA_TIMELINE_REDIS_URL setting ("" = none)."""
    url = getattr(settings, "AGORA_TIMELINE_REDIS_URL", None)
    return settings.AGORA.redis_url if url is None else url


def redis_client():
    """The process's Redis client for the hot path, or None in the embedded profile."""
    url = hot_redis_url()
    return _redis(url) if url else None


def delete_many(keys: list[str]) -> None:
    r = redis_client()
    if r is None:
        cache.delete_many(keys)
    elif keys:
        r.delete(*keys)


def get_strings(keys: list[str]) -> dict[str, str]:
    r = redis_client()
    if r is None:
        return cache.get_many(keys)
    if not keys:
        return {}
    return {k: v.decode() for k, v in zip(keys, r.mget(keys), strict=True) if v is not None}


def set_strings(values: dict[str, str], ttl: int) -> None:
    r = redis_client()
    if r is None:
        cache.set_many(values, ttl)
        return
    if not values:
        return
    # MULTI/EXEC: Redis may run another client's commands between those of a plain pipeline, and
    # values written together must stay together (a status's JSON and its tag key:
    # agora/social/timeline_json.py).
    pipe = r.pipeline(transaction=True)
    for k, v in values.items():
        # Each key expires somewhere in the last fifth of `ttl`: keys written together (a page's
        # statuses, readers warmed at once) then do not all expire, and get rebuilt, at once.
        pipe.set(k, v.encode(), ex=ttl - random.randrange(ttl // 5 + 1))
    pipe.execute()
