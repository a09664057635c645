"""What the platform middleware adds to an API request, in process (no HTTP server, one core).

    .venv/bin/python bench/platform/api_overhead.py [--n 3000] [--redis]

Runs on a throw-away SQLite file (migrated at start), rate limits counted in the SQLite file beside
it, as the embedded profile does; --redis counts them in Redis db 4.
Prints µs per request through Django's full handler for:
  - GET /api/v1/instance (cached stats, no token) with and without the rate-limit + idempotency middleware
  - GET /api/v1/accounts/verify_credentials (token lookup: one query)
  - POST with an Idempotency-Key that is replayed (token + claim attempt + read of the stored response)
  - a middleware alone around a view that does nothing (CPU time of this process): Django's
    LocaleMiddleware, without and with Accept-Language; the rate
    limiter with a round trip per request (leases of 1) and with leases of up to 16 (ADR 0005), one
    client sending every request, and (embedded profile) with a count in local memory only, as it
    was before the shared file (ADR 0006)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
TMP = tempfile.mkdtemp(prefix="agora-bench-platform-")
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "agora.settings",
        "AGORA_DATABASE_URL": f"sqlite:///{TMP}/bench.sqlite3",
        "AGORA_RATE_LIMIT_PER_IP": "1000000000",
        "AGORA_RATE_LIMIT_PER_TOKEN": "1000000000",
    }
)
if "--redis" in sys.argv:
    os.environ["AGORA_REDIS_URL"] = "redis://127.0.0.1:6379/4"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

OURS = {"agora.core.ratelimit.RateLimitMiddleware", "agora.core.idempotency.IdempotencyMiddleware"}


def per_request_us(fn, n: int) -> float:
    for _ in range(20):
        fn()
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1e6


def alone_us(middleware_class, n: int, **headers) -> float:
    """CPU µs one middleware adds around a view that does nothing: best of three passes over fresh
    requests, less the view's own."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    factory = RequestFactory()
    middleware = middleware_class(lambda request: HttpResponse())

    def pass_us(handler) -> float:
        requests = [factory.get("/api/v1/instance", **headers) for _ in range(n)]
        start = time.process_time()
        for request in requests:
            handler(request)
        return (time.process_time() - start) / n * 1e6

    return min(pass_us(middleware) - pass_us(lambda request: HttpResponse()) for _ in range(3))


def middleware_rows(n: int) -> list[tuple[str, float]]:
    from django.middleware.locale import LocaleMiddleware as DjangosLocale

    from agora.core import ratelimit

    rows = []
    for label, headers in (
        ("no Accept-Language", {}),
        ("with Accept-Language", {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.8"}),
    ):
        rows.append((f"language middleware alone: Django's, {label}", alone_us(DjangosLocale, n, **headers)))
    saved = ratelimit.LEASE_MAX
    try:
        for lease in (1, saved):
            ratelimit.LEASE_MAX = lease
            ratelimit.forget_leases()
            us = alone_us(ratelimit.RateLimitMiddleware, n, HTTP_AUTHORIZATION="Bearer b")
            rows.append((f"rate-limit middleware alone: leases of up to {lease}", us))
    finally:
        ratelimit.LEASE_MAX = saved
    if "counters" in settings.CACHES:
        # the embedded profile before the shared SQLite file: a count in this process's memory only
        local = {"default": settings.CACHES["default"]}
        with override_settings(CACHES=local):
            us = alone_us(ratelimit.RateLimitMiddleware, n, HTTP_AUTHORIZATION="Bearer b")
        rows.append(("rate-limit middleware alone: local memory (per process, not shared)", us))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--redis", action="store_true")
    n = parser.parse_args().n
    call_command("migrate", verbosity=0)
    from django.core.cache import cache

    cache.clear()
    from agora.accounts.models import User
    from agora.platform.actions import cli_application, do_issue_token

    user = User.objects.create(username="bench", email="bench@example.com")
    app = cli_application()
    token = do_issue_token(user, app, scope="read write").token
    anon, authed = Client(), Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    app_token = do_issue_token(None, app, scope="write:accounts").token
    poster = Client(HTTP_AUTHORIZATION=f"Bearer {app_token}", HTTP_IDEMPOTENCY_KEY="bench-key")
    body = {
        "username": "once",
        "email": "once@example.com",
        "password": "a long Pa55word!",
        "agreement": True,
    }
    assert poster.post("/api/v1/accounts", body, content_type="application/json").status_code == 200

    rows = []
    rows.append(
        (
            "GET /api/v1/instance, with platform middleware",
            per_request_us(lambda: anon.get("/api/v1/instance"), n),
        )
    )
    without = [m for m in settings.MIDDLEWARE if m not in OURS]
    with override_settings(MIDDLEWARE=without):
        rows.append(
            ("GET /api/v1/instance, without", per_request_us(lambda: anon.get("/api/v1/instance"), n))
        )
    rows.append(
        (
            "GET /api/v1/accounts/verify_credentials (token)",
            per_request_us(lambda: authed.get("/api/v1/accounts/verify_credentials"), n),
        )
    )
    rows.append(
        (
            "POST /api/v1/accounts, Idempotency-Key replayed",
            per_request_us(lambda: poster.post("/api/v1/accounts", body, content_type="application/json"), n),
        )
    )
    rows += middleware_rows(n)
    cache.clear()
    backend = "Redis" if "--redis" in sys.argv else "an SQLite file shared by the processes"
    print(f"µs per request, in process, SQLite, rate-limit counters in {backend}, {n} requests each")
    for name, us in rows:
        print(f"  {name:70} {us:8.0f}")


if __name__ == "__main__":
    main()
