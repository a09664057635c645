"""The process's Redis clients send a command once more on a new connection when the server closed
theirs (a Redis restart), instead of failing the request (agora/core/redis.py)."""

from __future__ import annotations

import os

import pytest
import redis
from redis.exceptions import ConnectionError

from agora.core.redis import client

URL = os.environ.get("AGORA_TEST_TIMELINE_REDIS", "redis://127.0.0.1:6379/13")


@pytest.fixture
def r():
    try:
        redis.Redis.from_url(URL).ping()
    except ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return client(URL)


def test_a_pipeline_whose_connection_the_server_closed_is_sent_again(r, monkeypatch):
    # given the server closes the connection under the next reply (what a restart does)
    failed: list[str] = []
    real = redis.connection.Connection.read_response

    def closed_once(self, *args, **kwargs):
        if not failed:
            failed.append("closed")
            raise ConnectionError("Connection closed by server.")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(redis.connection.Connection, "read_response", closed_once)
    # when a transaction (as the status-JSON cache writes) runs
    pipe = r.pipeline(transaction=True)
    pipe.set("agora:test:reconnect", "1", ex=5)
    pipe.get("agora:test:reconnect")
    # then it is sent once more, on a new connection, and answers
    assert pipe.execute() == [True, b"1"] and failed == ["closed"]
