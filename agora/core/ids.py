"""Time-ordered 64-bit ids (snowflake style): sortable by creation time, unique across processes.

Layout: 41 bits of milliseconds since 2026-01-01 | 10 bits of process | 12 bits of sequence.
Ids are serialised as strings in JSON because JavaScript numbers lose precision past 2**53.
"""

from __future__ import annotations

import os
import random
import threading
import time

EPOCH_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z
_PROCESS_BITS = 10
_SEQUENCE_BITS = 12
_MAX_SEQUENCE = (1 << _SEQUENCE_BITS) - 1

_lock = threading.Lock()
_state = {"pid": -1, "node": 0, "last_ms": 0, "seq": 0}


def _node() -> int:
    # Re-drawn after fork so that granian/Celery workers forked from one parent differ.
    if _state["pid"] != os.getpid():
        _state["pid"] = os.getpid()
        _state["node"] = random.SystemRandom().getrandbits(_PROCESS_BITS)
        _state["last_ms"] = 0
    return _state["node"]


def new_id() -> int:
    with _lock:
        node = _node()
        now = int(time.time() * 1000) - EPOCH_MS
        if now <= _state["last_ms"]:
            now = _state["last_ms"]
            _state["seq"] = (_state["seq"] + 1) & _MAX_SEQUENCE
            if _state["seq"] == 0:  # 4096 ids in one millisecond: borrow the next millisecond
                now += 1
        else:
            _state["seq"] = 0
        _state["last_ms"] = now
        return (now << (_PROCESS_BITS + _SEQUENCE_BITS)) | (node << _SEQUENCE_BITS) | _state["seq"]


def id_at(timestamp: float) -> int:
    """The smallest id that could have been made at `timestamp` (seconds): for time-range queries."""
    return (int(timestamp * 1000) - EPOCH_MS) << (_PROCESS_BITS + _SEQUENCE_BITS)


def id_time(value: int) -> float:
    """When an id was made, in seconds since the Unix epoch."""
    return ((value >> (_PROCESS_BITS + _SEQUENCE_BITS)) + EPOCH_MS) / 1000
