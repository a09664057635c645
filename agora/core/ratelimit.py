"""Fixed-window rate limits for /api/ and /oauth/, counted in the shared cache.

Each token (or, with no token, each client IP) gets `rate_limit_per_token` (`rate_limit_per_ip`)
requests per window of `rate_limit_window_seconds`. The counter key holds the window's start, so a
counter is one INCR and simply expires with its window: on Redis that is a single round trip per
request (a Lua script). Every response carries Mastodon's X-RateLimit-* headers; over the limit the
request is refused with 429 before any view (or database query) runs.

The token is not looked up here, only hashed, so this costs no query. A made-up token gets its own
bucket, so the API's token check (agora/api/auth.py) also counts every request with an unknown token
against the client IP's bucket, and answers 429 once that is full.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse, JsonResponse

from agora.core.luascript import LuaScript

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


# INCR, and start the expiry with the window's first request: one round trip, atomic.
_INCR = LuaScript(
    "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n"
)


def _incr(key: str, ttl: int) -> int:
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # make_key, not make_and_validate_key: the memcached key check walks every character, and
        # our keys are ours (a hash or an IP).
        return int(_INCR(cache._cache.get_client(write=True), [cache.make_key(key)], [ttl]))
    # Local memory (embedded profile): add creates the counter atomically, incr bumps it.
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
    count = _incr(f"rl:{identity}:{start}", window + 5)
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
