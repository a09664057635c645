"""Health endpoints for a supervisor, a load balancer or Kubernetes: JSON, no auth, cheap.

GET /health/live   200 {"status": "ok"} while the process answers at all: restart it if not. It
                   checks nothing else, so a database outage does not get every web process killed.
GET /health/ready  200 when PostgreSQL (or SQLite), Redis (AGORA_REDIS_URL) and the broker
                   (AGORA_BROKER_URL) each answer within 2 s, else 503; either way each check's
                   result and milliseconds: send traffic here only while it is 200. Beside them,
                   not deciding readiness, the outbox's unsent rows and dead letters.

Answered by the first middleware, before Django looks at the Host header: a probe addresses the
process by its own IP, which AGORA_ALLOWED_HOSTS need not list. Other paths pay one comparison.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from redis import Redis

TIMEOUT_SECONDS = 2.0
PATHS = ("/health/live", "/health/ready")


@lru_cache(maxsize=4)
def _probe_client(url: str) -> Redis:
    # Not the shared client (agora/core/redis.py): that one waits forever on a server that hangs.
    return Redis.from_url(url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS)


def check_database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        connection.close()  # a dropped connection: the next probe (and request) opens a new one
        raise


def check_redis() -> None:
    _probe_client(settings.AGORA.redis_url).ping()


def check_broker() -> None:
    url = settings.AGORA.broker_url
    if url.startswith(("redis://", "rediss://")):
        _probe_client(url).ping()
        return
    from kombu import Connection

    with Connection(url, connect_timeout=TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=1)


def readiness() -> dict[str, Any]:
    checks: dict[str, Callable[[], None]] = {"database": check_database}
    if settings.AGORA.redis_url:
        checks["redis"] = check_redis
    if settings.AGORA.broker_url:
        checks["broker"] = check_broker
    results: dict[str, dict[str, Any]] = {}
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            check()
            result: dict[str, Any] = {"ok": True}
        except Exception as exc:  # any failure is "not ready", named, never a 500
            result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    body: dict[str, Any] = {
        "status": "ok" if all(r["ok"] for r in results.values()) else "fail",
        "checks": results,
    }
    if results["database"]["ok"]:
        body["outbox"] = outbox_state()
    return body


def outbox_state() -> dict[str, Any]:
    """What the transactional outbox holds (agora/core/outbox.py): for a dashboard or an alert, not
    for readiness (a backlog is beat's or the broker's trouble; this process can serve)."""
    from agora.core import outbox

    try:
        return outbox.status()
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}


def _json(body: dict[str, Any], status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith("/health/") or path.rstrip("/") not in PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return _json({"error": "Use GET.", "code": "method_not_allowed"}, 405)
        if path.rstrip("/") == "/health/live":
            return _json({"status": "ok"})
        body = readiness()
        return _json(body, 200 if body["status"] == "ok" else 503)
