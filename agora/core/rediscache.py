"""Django's Redis cache backend, keeping one redis.Redis client per connection pool.

Django's RedisCacheClient builds a new redis.Redis object on every cache call; with redis-py 8 that
constructor copies its table of ~170 response callbacks into a case-insensitive dict, which cost
~0.4 ms of CPU per call in the profile of an API request (bench/square/cpu_per_request.py): more
than the rate limiter's whole Redis round trip. A redis.Redis client is thread-safe (each command
borrows a connection from the pool), so one per pool is enough. Settings select this backend when
AGORA_REDIS_URL is set.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            # setdefault: two threads racing here keep the same client (both work either way).
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._clients.setdefault(index, self._client(connection_pool=pool))  # type: ignore[attr-defined]
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
