"""The Redis cache backend that keeps one client per pool (agora/core/rediscache.py)."""

from __future__ import annotations

import socket

import pytest

from agora.core.rediscache import ReusingRedisCache


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
        return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379")


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
