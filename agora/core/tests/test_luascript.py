"""Lua scripts on a thread's own Redis connection (agora/core/luascript.py): redis-py Script's
behaviour, including a server that forgot the script and a connection that was cut."""

from __future__ import annotations

import gc
import threading

import pytest
import redis

from agora.core.luascript import LuaScript, _connection
from agora.core.testing import needs_local_redis

pytestmark = needs_local_redis

ECHO = LuaScript("return {KEYS[1], ARGV[1], redis.call('INCR', KEYS[1])}")


@pytest.fixture
def client():
    r = redis.Redis.from_url("redis://127.0.0.1:6379/5")
    r.delete("luascript:k")
    yield r
    r.delete("luascript:k")


def test_keys_and_args_reach_the_script_and_the_reply_comes_back(client):
    assert ECHO(client, ["luascript:k"], ["a"]) == [b"luascript:k", b"a", 1]
    assert ECHO(client, ["luascript:k"], [7]) == [b"luascript:k", b"7", 2]


def test_a_server_that_forgot_the_script_is_given_it_again(client):
    ECHO(client, ["luascript:k"], ["a"])
    client.script_flush()
    assert ECHO(client, ["luascript:k"], ["a"])[2] == 2
    assert client.script_exists(ECHO.sha) == [True]


def test_a_cut_connection_is_opened_again(client):
    ECHO(client, ["luascript:k"], ["a"])
    client.client_kill_filter(_type="normal", skipme=True)  # every other client: the script's
    assert ECHO(client, ["luascript:k"], ["a"])[2] == 2


def test_each_thread_keeps_its_own_connection(client):
    # A connection is used by one thread at a time: each thread takes its own and keeps it.
    held: list[object] = []
    together = threading.Barrier(2)  # both threads alive at once (an ended one gives its back)

    def call() -> None:
        ECHO(client, ["luascript:k"], ["a"])
        held.append(_connection(client))
        together.wait()
        ECHO(client, ["luascript:k"], ["a"])
        held.append(_connection(client))
        together.wait()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(held) == 4 and len({id(c) for c in held}) == 2
    assert int(client.get("luascript:k")) == 4


def test_a_thread_that_ends_gives_its_connection_back(client):
    pool = client.connection_pool

    def call() -> None:
        ECHO(client, ["luascript:k"], ["a"])

    thread = threading.Thread(target=call)
    thread.start()
    thread.join()
    del thread
    gc.collect()
    # redis-py's pool keeps the connections it has lent in this set
    assert not pool._in_use_connections
    assert len(pool._available_connections) >= 1
