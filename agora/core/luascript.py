"""Lua scripts called on Redis with a thread's own connection, for the calls every request makes
(the rate limiter's counter, the home read).

redis-py 8's client layer (pool checkout and release, retry wrapper, metrics hooks) costs about
70 us of Python per call here; sending EVALSHA on a connection the thread keeps and reading the
reply with redis-py's own parser costs about 26 us (bench/platform/client_paths.py). Behaviour is
redis-py's Script: EVALSHA, and SCRIPT LOAD once when Redis answers NOSCRIPT (a restarted or
flushed server); a dropped connection is reconnected and the call sent once more, as redis-py's
default retry does. A thread that ends gives its connection back to the pool.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Sequence
from typing import Any

from redis import Redis
from redis.exceptions import ConnectionError, NoScriptError, TimeoutError

_local = threading.local()


class _ThreadEnd:
    """Kept only in the thread's local data, which goes when the thread ends: then, so does this."""


def _give_back(held: dict[Redis, Any]) -> None:
    for client, conn in held.items():
        client.connection_pool.release(conn)


def _connection(client: Redis) -> Any:
    # Keyed by the client itself, kept alive here, so that a later client cannot reuse its id.
    held: dict[Redis, Any] | None = getattr(_local, "held", None)
    if held is None:
        held = _local.held = {}
        # When the thread ends its connections go back to their pools (a development server starts
        # a thread per request).
        _local.end = _ThreadEnd()
        weakref.finalize(_local.end, _give_back, held)
    conn = held.get(client)
    if conn is None:
        # Taken from the client's pool and kept by this thread (a granian worker has a few threads).
        conn = held[client] = client.connection_pool.get_connection()
    return conn


class LuaScript:
    def __init__(self, lua: str) -> None:
        self.lua = lua
        self.sha = hashlib.sha1(lua.encode()).hexdigest()  # noqa: S324 (Redis names scripts by SHA-1)

    def __call__(self, client: Redis, keys: Sequence[Any], args: Sequence[Any]) -> Any:
        conn = _connection(client)
        for attempt in range(2):
            try:
                return self._call(conn, keys, args)
            except (ConnectionError, TimeoutError):
                conn.disconnect()  # the next send connects again
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _call(self, conn: Any, keys: Sequence[Any], args: Sequence[Any]) -> Any:
        conn.send_command("EVALSHA", self.sha, len(keys), *keys, *args)
        try:
            return conn.read_response()
        except NoScriptError:
            conn.send_command("SCRIPT", "LOAD", self.lua)
            conn.read_response()
            conn.send_command("EVALSHA", self.sha, len(keys), *keys, *args)
            return conn.read_response()
