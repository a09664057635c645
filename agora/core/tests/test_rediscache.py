"""The Redis cache backend that keeps one client per pool (agora/core/rediscache.py)."""

from __future__ import annotations

from agora.core.rediscache import ReusingRedisCache
from agora.core.testing import needs_local_redis

pytestmark = needs_local_redis


def test_one_client_is_reused_and_the_cache_still_works():
    # Given the backend on a scratch Redis database
    cache = ReusingRedisCache("redis://127.0.0.1:6379/5", {"KEY_PREFIX": "test-rediscache"})
    # Then every call gets the same client object (no per-call construction)
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=False)
    # And the cache behaves as Django's RedisCache
    cache.set("k", {"a": 1}, 30)
    assert cache.get("k") == {"a": 1}
    assert cache.add("k", 2, 30) is False
    assert cache.add("n", 0, 30) is True
    assert cache.incr("n") == 1
    cache.delete("k")
    assert cache.get("k") is None
    cache.delete("n")
