"""A persistent connection the server dropped while the thread sat idle (a PostgreSQL restart) is
replaced before the next request uses it, instead of failing that request (agora/core/dbhealth.py)."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.test import Client

from agora.core.dbhealth import _LAST_USE


def _drop_from_the_server(pid: int) -> None:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            if not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                return
            time.sleep(0.02)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("idle", [True, False], ids=["idle", "busy"])
def test_a_dropped_idle_connection_is_replaced_before_the_request(idle):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (AGORA_DATABASE_URL=postgres://...)")
    client = Client(raise_request_exception=False)
    assert client.get("/api/v1/timelines/public").status_code == 200  # the thread's connection, open
    # given the server dropped it, after the thread sat idle for 5 s (or just now, mid-traffic)
    setattr(connection, _LAST_USE, time.monotonic() - (5 if idle else 0))
    _drop_from_the_server(connection.connection.info.backend_pid)
    # when the next request comes
    res = client.get("/api/v1/timelines/public")
    # then an idle connection was checked and replaced: no 500; a busy one is not checked (that costs
    # a round trip a request) and fails once, as under load, and Django replaces it after that request
    assert res.status_code == (200 if idle else 500)
    close_old_connections()  # what request_finished does outside the test client
    assert client.get("/api/v1/timelines/public").status_code == 200
