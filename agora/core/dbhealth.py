"""A persistent database connection that sat idle is checked before a request uses it.

A PostgreSQL restart (or a failover, or an idle-connection reaper) leaves each web thread holding a
dead connection until CONN_MAX_AGE (60 s) retires it: the next request on that thread is a 500.
Django's CONN_HEALTH_CHECKS would send a `SELECT 1` before every request's first query, about one
round trip a request on the hot paths, to save the requests that come right after a restart. Under
load those are the requests already running when the server goes (the health check comes too late
for them: bench/faults/restart.py measured 6 to 8 failed requests, all within 0.3 s of the fault,
with or without it); the ones it saves are on threads that sat idle through the restart. So only a
connection idle for more than IDLE_SECONDS is checked at the start of a request: a busy thread
pays one clock read, a quiet one a round trip it will not notice.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import connections

IDLE_SECONDS = 1.0
_LAST_USE = "_agora_last_request_at"


def check_idle_connections(**_: Any) -> None:
    """request_started receiver, after Django's own close_old_connections."""
    now = time.monotonic()
    for conn in connections.all(initialized_only=True):
        if conn.connection is None:
            continue
        last = getattr(conn, _LAST_USE, None)
        setattr(conn, _LAST_USE, now)
        if (
            last is not None
            and now - last > IDLE_SECONDS
            and not conn.in_atomic_block
            and not conn.is_usable()
        ):
            conn.close()  # the request's first query opens a new one
