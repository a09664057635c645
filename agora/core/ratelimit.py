"""Fixed-window rate limits for /api/ and /oauth/, counted in a store every server process shares:
Redis in production, an SQLite file in the embedded profile (agora/core/sqlitecache.py, ADR 0006).

Each token (or, with no token, each client IP) gets `rate_limit_per_token` (`rate_limit_per_ip`)
requests per window of `rate_limit_window_seconds`. The counter key holds the window's start, so a
counter simply expires with its window. Every response carries Mastodon's X-RateLimit-* headers;
over the limit the request is refused with 429 before any view (or database query) runs.

On Redis a process takes a bucket's requests in leases: one round trip adds a few to the shared
counter and the process hands them out to that client's next requests itself (_Leases, ADR 0005).
With a round trip per request this middleware cost 164-220 us of CPU a request here, more than all
the others together; with leases 22-51 (bench/platform/api_overhead.py --redis). The SQLite file
takes its leases the same way, in one UPSERT each. The shared
counter never passes what the processes were given, so no client gets more than its limit. A lease
is at most 1/32 of what is left of the bucket (one request when little is left), so what a process
took and did not use (it lapses with the window) costs a client at most a few percent of its limit,
and the last requests before the limit are counted one by one.

The token is not looked up here, only hashed, so this costs no query. A made-up token gets its own
bucket, so the API's token check (agora/api/auth.py) also counts every request with an unknown token
against the client IP's bucket, and answers 429 once that is full.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse, JsonResponse

from agora.core.luascript import LuaScript
from agora.core.sqlitecache import COUNTERS, SQLiteCache

LIMITED_PREFIXES = ("/api/", "/oauth/")


@dataclass(frozen=True)
class Verdict:
    limit: int
    count: int
    reset_at: float

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)


def client_identity(request: HttpRequest) -> tuple[str, int]:
    """The bucket a request counts against, and that bucket's limit."""
    agora = settings.AGORA
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() == "bearer " and header[7:].strip():
        digest = hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
        return f"t:{digest}", agora.rate_limit_per_token
    return ip_identity(request), agora.rate_limit_per_ip


def ip_identity(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is forgeable unless a trusted proxy rewrites it.
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def hit_ip(request: HttpRequest) -> Verdict:
    """Count a request against its client IP's bucket (used for requests with an unknown token)."""
    return hit(ip_identity(request), settings.AGORA.rate_limit_per_ip)


# A lease: add k to the counter, k being at most ARGV[2] and 1/32 of what is left below the limit
# ARGV[3] (at least 1); start the expiry with the window's first request. Returns the counter after.
_LEASE = LuaScript(
    """
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
local k = math.max(1, math.min(tonumber(ARGV[2]), math.floor((tonumber(ARGV[3]) - n) / 32)))
local m = redis.call('INCRBY', KEYS[1], k)
if m == k then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {m, k}
"""
)
LEASE_MAX = 16


class _Leases:
    """This process's leases: counter key -> [the next count to hand out, the last one leased]."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.held: dict[str, list[int]] = {}
        self.window = 0.0
        # A forked child starts with none: the parent's leases are the parent's to hand out. No
        # lock here: another thread of the parent may have held it at the fork.
        os.register_at_fork(after_in_child=self.held.clear)

    def count(
        self, client: Any, key: str, ttl: int, limit: int, window: float, take: Callable[..., Any] = _LEASE
    ) -> int:
        """This request's number in the bucket `key` (1 for the window's first). A new lease is
        `take(client, [key], [ttl, LEASE_MAX, limit])`: (the shared count after it, its size)."""
        with self.lock:
            handed = self._hand_out(key, window)
            if handed is not None:
                return handed
        upto, k = take(client, [key], [ttl, LEASE_MAX, limit])
        with self.lock:
            self.held[key] = [upto - k + 2, upto]
        return int(upto - k + 1)

    def _hand_out(self, key: str, window: float) -> int | None:
        """The next count of this process's lease on `key`, None if it has none left (under the lock)."""
        if window != self.window or len(self.held) > 100_000:
            # a new window (the old leases lapse with it), or too many clients to keep
            self.held.clear()
            self.window = window
        lease = self.held.get(key)
        if lease is not None and lease[0] <= lease[1]:
            lease[0] += 1
            return lease[0] - 1
        return None


class _SerialLeases(_Leases):
    """Leases from the embedded profile's SQLite file, taken under the lock: a statement of about
    10 us, so a process's threads wait for each other's rather than each taking one for the same
    client, the last stored replacing the others' unused counts (measured: 236 of a limit of 300
    answered with 2 workers of 4 threads). On Redis a round trip is too long to hold the lock for."""

    def count(
        self, client: Any, key: str, ttl: int, limit: int, window: float, take: Callable[..., Any] = _LEASE
    ) -> int:
        with self.lock:
            handed = self._hand_out(key, window)
            if handed is not None:
                return handed
            upto, k = take(client, [key], [ttl, LEASE_MAX, limit])
            self.held[key] = [upto - k + 2, upto]
        return int(upto - k + 1)


_leases = _Leases()
_file_leases = _SerialLeases()


def forget_leases() -> None:
    """Drop this process's leases (for a test that has just emptied the cache they came from)."""
    for leases in (_leases, _file_leases):
        with leases.lock:
            leases.held.clear()


def _sqlite_lease(cache: SQLiteCache, keys: list[str], args: list[int]) -> tuple[int, int]:
    return cache.lease(keys[0], ttl=args[0], most=args[1], limit=args[2])


def _count(key: str, ttl: int, limit: int, window: float) -> int:
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # make_key, not make_and_validate_key: the memcached key check walks every character, and
        # our keys are ours (a hash or an IP).
        client = cache._cache.get_client(write=True)
        return _leases.count(client, cache.make_key(key), ttl, limit, window)
    if COUNTERS in settings.CACHES:
        shared = caches[COUNTERS]
        if isinstance(shared, SQLiteCache):
            # The embedded profile: the SQLite file its workers share, in leases as on Redis.
            return _file_leases.count(shared, shared.make_key(key), ttl, limit, window, _sqlite_lease)
        cache = shared
    # Local memory (one process: a test's or a bench's): add creates the counter, incr bumps it.
    if cache.add(key, 1, ttl):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, ttl)
        return 1


def hit(identity: str, limit: int, *, now: float | None = None) -> Verdict:
    window = max(1, settings.AGORA.rate_limit_window_seconds)
    now = time.time() if now is None else now
    start = int(now // window) * window
    # A little longer than the window so a counter never vanishes inside its own window.
    count = _count(f"rl:{identity}:{start}", window + 5, limit, start)
    return Verdict(limit=limit, count=count, reset_at=start + window)


@lru_cache(maxsize=64)
def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(LIMITED_PREFIXES):
            return self.get_response(request)
        identity, limit = client_identity(request)
        verdict = hit(identity, limit)
        if verdict.allowed:
            response = self.get_response(request)
        else:
            response = JsonResponse(
                {
                    "error": "Too many requests: slow down and retry after the time in Retry-After.",
                    "code": "rate_limited",
                },
                status=429,
            )
            response["Retry-After"] = str(max(1, math.ceil(verdict.reset_at - time.time())))
        response["X-RateLimit-Limit"] = str(verdict.limit)
        response["X-RateLimit-Remaining"] = str(verdict.remaining)
        response["X-RateLimit-Reset"] = _iso(verdict.reset_at)
        return response
