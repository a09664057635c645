"""Cost of the API rate limiter per request: local memory vs Redis, the counter alone and the middleware.

    .venv/bin/python bench/platform/ratelimit.py [--n 20000] [--no-redis]

Redis must run on 127.0.0.1:6379 (db 4 is used and flushed) unless --no-redis. `PING` is printed as the floor: one
Redis round trip, which is what the limiter costs on Redis.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
os.environ["AGORA_RATE_LIMIT_PER_IP"] = "1000000000"
os.environ["AGORA_RATE_LIMIT_PER_TOKEN"] = "1000000000"

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402

from agora.core import ratelimit  # noqa: E402

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"}
BACKENDS = {
    "locmem": {"default": LOCMEM},
    # the embedded profile's store since ADR 0006: a file every worker process shares
    "sqlite": {
        "default": LOCMEM,
        "counters": {
            "BACKEND": "agora.core.sqlitecache.SQLiteCache",
            "LOCATION": os.path.join(tempfile.mkdtemp(prefix="agora-bench-rl-"), "counters.sqlite3"),
        },
    },
    "redis": {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/4",
            "KEY_PREFIX": "bench-rl",
        }
    },
}


def per_call_us(fn, n: int) -> float:
    fn()  # warm up (connection, imports)
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--no-redis", action="store_true")
    opts = parser.parse_args()
    n = opts.n
    factory = RequestFactory()
    anon = factory.get("/api/v1/instance")
    with_token = factory.get(
        "/api/v1/timelines/home", HTTP_AUTHORIZATION="Bearer abcdefghijklmnopqrstuvwxyz012345"
    )
    bare = HttpResponse(b"{}", content_type="application/json")
    middleware = ratelimit.RateLimitMiddleware(lambda request: bare)
    print(f"rate limiter cost per request, {n} calls each (µs per call, one process)")
    print(f"{'backend':8} {'PING':>7} {'counter':>9} {'middleware (IP)':>16} {'middleware (token)':>19}")
    runs = [(name, config, ratelimit.LEASE_MAX) for name, config in BACKENDS.items()]
    # leases of 1: a write per request, as the last requests before a limit are counted
    runs.insert(2, ("sqlite/1", BACKENDS["sqlite"], 1))
    saved = ratelimit.LEASE_MAX
    for name, config, lease in runs:
        if name == "redis" and opts.no_redis:
            continue
        ratelimit.LEASE_MAX = lease
        with override_settings(CACHES=config):
            cache = caches["counters" if "counters" in config else "default"]
            cache.clear()
            ratelimit.forget_leases()
            ping = per_call_us(cache._cache.get_client("x", write=True).ping, n) if name == "redis" else 0.0
            counter = per_call_us(lambda: ratelimit.hit("ip:bench", 10**9), n)
            mw_ip = per_call_us(lambda: middleware(anon), n)
            mw_tok = per_call_us(lambda: middleware(with_token), n)
            cache.clear()
        ratelimit.LEASE_MAX = saved
        print(f"{name:8} {ping:7.1f} {counter:9.1f} {mw_ip:16.1f} {mw_tok:19.1f}")


if __name__ == "__main__":
    main()
