"""The cache for the timeline hot path: the process's Redis client in production (agora/core/redis.py),
Django's cache otherwise.

Values are strings, stored as they are (not pickled): a Lua script reads some of them
(agora/feeds/fastpath.py), and each caller's own format reads back faster than a pickle.
"""

from __future__ import annotations

import random

from django.core.cache import cache

from agora.core.redis import hot_client as redis_client


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
    return {k: _text(v) for k, v in zip(keys, r.mget(keys), strict=True) if v is not None}


def _text(value: bytes | str) -> str:
    # The client answers bytes (no decode_responses): the values are ours, UTF-8.
    return value.decode() if isinstance(value, bytes) else value


def set_strings(values: dict[str, str], ttl: int, ttls: dict[str, int] | None = None) -> None:
    """Write the values together, each for `ttl` seconds, or the one `ttls` gives it."""
    ttls = ttls or {}
    r = redis_client()
    if r is None:
        by_ttl: dict[int, dict[str, str]] = {}
        for k, v in values.items():
            by_ttl.setdefault(ttls.get(k, ttl), {})[k] = v
        for seconds, group in by_ttl.items():
            cache.set_many(group, seconds)
        return
    if not values:
        return
    # MULTI/EXEC: Redis may run another client's commands between those of a plain pipeline, and
    # values written together must stay together (a status's JSON and its tag key:
    # agora/social/timeline_json.py).
    pipe = r.pipeline(transaction=True)
    for k, v in values.items():
        # Each key expires somewhere in the last fifth of its ttl: keys written together (a page's
        # statuses, readers warmed at once) then do not all expire, and get rebuilt, at once.
        seconds = ttls.get(k, ttl)
        pipe.set(k, v.encode(), ex=max(1, seconds - random.randrange(seconds // 5 + 1)))
    pipe.execute()
