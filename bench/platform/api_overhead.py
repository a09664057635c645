"""What the platform middleware adds to an API request, in process (no HTTP server, one core).

    .venv/bin/python bench/platform/api_overhead.py [--n 3000] [--redis]

Runs on a throw-away SQLite file (migrated at start); --redis counts rate limits in Redis db 4.
Prints µs per request through Django's full handler for:
  - GET /api/v1/instance (cached stats, no token) with and without the rate-limit + idempotency middleware
  - GET /api/v1/accounts/verify_credentials (token lookup: one query)
  - POST with an Idempotency-Key that is replayed (token + claim attempt + read of the stored response)
  - the language middleware alone around a view that does nothing: Django's LocaleMiddleware against
    agora.core.language's, without and with Accept-Language
  - the rate-limit middleware alone (CPU time of this process, one client sending every request),
    with a round trip per request (leases of 1) and with leases of up to 16 (ADR 0005)
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


def locale_rows(n: int) -> list[tuple[str, float]]:
    from django.http import HttpResponse
    from django.middleware.locale import LocaleMiddleware as DjangosLocale
    from django.test import RequestFactory

    from agora.core.language import LocaleMiddleware

    factory = RequestFactory()
    rows = []
    for header in ({}, {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.8"}):
        for name, cls in (("Django's", DjangosLocale), ("agora.core.language", LocaleMiddleware)):
            middleware = cls(lambda request: HttpResponse())
            best = float("inf")
            for _ in range(3):  # best of three: the first pass in a process runs slower
                requests = iter([factory.get("/api/v1/instance", **header) for _ in range(n + 20)])
                with_mw = per_request_us(lambda: middleware(next(requests)), n)  # noqa: B023
                requests = iter([factory.get("/api/v1/instance", **header) for _ in range(n + 20)])
                bare = per_request_us(lambda: HttpResponse() and next(requests), n)  # noqa: B023
                best = min(best, with_mw - bare)
            label = "with Accept-Language" if header else "no Accept-Language"
            rows.append((f"language middleware alone: {name}, {label}", best))
    return rows


def ratelimit_rows(n: int) -> list[tuple[str, float]]:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from agora.core import ratelimit

    factory = RequestFactory()
    middleware = ratelimit.RateLimitMiddleware(lambda request: HttpResponse())
    rows = []
    for lease in (1, ratelimit.LEASE_MAX):
        best = float("inf")
        for _ in range(3):
            ratelimit.forget_leases()
            saved, ratelimit.LEASE_MAX = ratelimit.LEASE_MAX, lease
            try:
                requests = [factory.get("/api/v1/instance", HTTP_AUTHORIZATION="Bearer b") for _ in range(n)]
                start = time.process_time()
                for request in requests:
                    middleware(request)
                best = min(best, (time.process_time() - start) / n * 1e6)
            finally:
                ratelimit.LEASE_MAX = saved
        rows.append((f"rate-limit middleware alone, CPU: leases of up to {lease}", best))
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
    rows += locale_rows(n)
    rows += ratelimit_rows(n)
    cache.clear()
    backend = "Redis" if "--redis" in sys.argv else "local memory"
    print(f"µs per request, in process, SQLite, rate-limit counters in {backend}, {n} requests each")
    for name, us in rows:
        print(f"  {name:70} {us:8.0f}")


if __name__ == "__main__":
    main()
