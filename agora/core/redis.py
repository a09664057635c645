"""The process's Redis clients: one per URL, shared by every caller (cache, timelines, rate limits).

A redis.Redis client is thread-safe (each command borrows a connection from its pool), and building
one costs about 1 ms with redis-py 8 (it copies its table of response callbacks), so no caller
builds its own. `hot_redis_url()` names the Redis of the hot path: the home timeline's stored
lists and the cache of status JSON must share one (the home read's script touches both).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError, TimeoutError
from redis.retry import Retry


def reconnect_once() -> dict[str, Any]:
    """Connection options: a command whose connection the server closed (a Redis restart, a dropped
    client) is sent once more on a new connection. A client made by from_url() gets no retry (only
    Redis() built without a pool does), so without this a restart failed the first command on every
    connection not checked on its way out of the pool (a pipeline's, a held one's). Once is enough
    for a restart; the commands Agora sends are safe to repeat (SET, GET, DEL, ZADD, scripts that
    add or trim by value; BatchedTask trims only the batch it read)."""
    return {"retry": Retry(NoBackoff(), 1), "retry_on_error": [ConnectionError, TimeoutError]}


@lru_cache(maxsize=8)
def client(url: str) -> Redis:
    return Redis.from_url(url, **reconnect_once())


def hot_redis_url() -> str:
    """AGORA_REDIS_URL; tests pin another with the AGORA_TIMELINE_REDIS_URL setting ("" = none)."""
    url = getattr(settings, "AGORA_TIMELINE_REDIS_URL", None)
    return settings.AGORA.redis_url if url is None else url


def hot_client() -> Redis | None:
    """The hot path's Redis client, or None in the embedded profile."""
    url = hot_redis_url()
    return client(url) if url else None
