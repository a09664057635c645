"""Test helpers shared by the core's tests."""

from __future__ import annotations

import socket

import pytest


def _local_redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
        return True
    except OSError:
        return False


# For tests of the Redis code itself, which talk to a scratch database of the local server.
needs_local_redis = pytest.mark.skipif(not _local_redis_up(), reason="needs Redis on 127.0.0.1:6379")
