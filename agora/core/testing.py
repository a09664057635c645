"""Test helpers shared by the apps' tests."""

from __future__ import annotations

import re
import socket
from datetime import datetime
from typing import Any

import pytest


def _local_redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
        return True
    except OSError:
        return False


# For tests of the Redis code itself, which talk to a scratch database of the local server.
needs_local_redis = pytest.mark.skipif(not _local_redis_up(), reason="needs Redis on 127.0.0.1:6379")


_ID = re.compile(r"\d{12,}")
_TIME = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def same_shape(value: Any) -> Any:
    """`value` with its ids numbered in order of first appearance and its times masked, so that two
    runs of one scenario (each making its own rows) compare equal when they did the same thing:
    for tests that compare a fast path with its ORM twin."""
    seen: dict[str, str] = {}

    def walk(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [walk(x) for x in v]
        if isinstance(v, datetime):
            return "<time>"
        if isinstance(v, int) and not isinstance(v, bool) and v >= 10**12:
            v = str(v)
        if isinstance(v, str):
            if _TIME.match(v):
                return "<time>"
            return _ID.sub(lambda m: seen.setdefault(m.group(), f"#{len(seen) + 1}"), v)
        return v

    return walk(value)
