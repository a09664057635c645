"""A Django cache in an SQLite file of its own, shared by every process of the embedded profile.

The embedded profile's cache is local memory, one per process: with granian's two workers each kept
its own rate-limit counts, and 700 requests got 599 answers under a limit of 300. Counts that must
hold for the whole site, the API rate limits (agora/core/ratelimit.py) and the log-in lock-out and
sign-up budgets (agora/accounts/throttle.py), are kept here instead: CACHES["counters"], a file
beside the SQLite database (settings.py). The production profile counts them in Redis and has no
such cache; `counters()` is the default cache there, so code asks it and never the profile.

Each operation is one statement in autocommit, so it is atomic across processes: an UPSERT ...
RETURNING adds to a count and reads it in one step. The file is apart from the site's database so
these writes never wait for a checkout's transaction (BEGIN IMMEDIATE holds that file's write lock)
nor it for them. WAL lets readers run beside the writer; synchronous=NORMAL skips the fsync on each
commit: a power cut may lose the last counts, never the file.
"""

from __future__ import annotations

import os
import pickle
import random
import sqlite3
import time
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT

# The alias in CACHES of the store shared by all processes, in the profiles that have one.
COUNTERS = "counters"
# An expiry for "never" that still compares as a number.
NEVER = 1e18
PURGE_ONE_IN = 1000

# A forked process must not use its parent's connection (SQLite's locks are per process).
_generation = 0


def _forked() -> None:
    global _generation
    _generation += 1


os.register_at_fork(after_in_child=_forked)


def counters() -> BaseCache:
    """The cache whose counts every process of the site sees: the SQLite file in the embedded
    profile, the default cache (Redis) in production."""
    return caches[COUNTERS] if COUNTERS in settings.CACHES else caches["default"]


def _set_wal(conn: sqlite3.Connection) -> None:
    # Switching a file to WAL needs it to itself for a moment, and SQLite answers "database is
    # locked" at once, without its busy timeout, while another process opens the same new file
    # (workers starting together): wait and try again.
    for attempt in range(100):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 99:
                raise
            time.sleep(0.02)


class SQLiteCache(BaseCache):
    """LOCATION is the file's path. Integers are stored as numbers (so incr and lease add in SQL),
    anything else pickled, as Django's file and database caches do."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.path = location
        self._conn: sqlite3.Connection | None = None
        self._generation = -1

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None or self._generation != _generation:
            # Django keeps a cache object per thread; the connection lives as long as it does,
            # across requests (close() keeps it: opening one per request would cost more than the
            # statement).
            conn = sqlite3.connect(self.path, timeout=20, isolation_level=None, check_same_thread=False)
            _set_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, value, expires REAL NOT NULL,"
                " taken INTEGER) WITHOUT ROWID"
            )
            self._conn, self._generation = conn, _generation
        return self._conn

    # --- values ---------------------------------------------------------------------------------
    @staticmethod
    def _dump(value: Any) -> Any:
        if type(value) is int:
            return value
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def _load(stored: Any) -> Any:
        return pickle.loads(stored) if isinstance(stored, bytes) else stored  # noqa: S301  (our own file)

    def _expires(self, timeout: Any) -> float:
        expires = self.get_backend_timeout(timeout)
        return NEVER if expires is None else expires

    def _maybe_purge(self, now: float) -> None:
        if random.randrange(PURGE_ONE_IN) == 0:
            self.conn.execute("DELETE FROM cache WHERE expires <= ?", (now,))

    # --- Django's cache API -----------------------------------------------------------------------
    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        row = self.conn.execute(
            "SELECT value FROM cache WHERE key = ? AND expires > ?",
            (self.make_and_validate_key(key, version=version), time.time()),
        ).fetchone()
        return default if row is None else self._load(row[0])

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        now = time.time()
        self.conn.execute(
            "INSERT OR REPLACE INTO cache (key, value, expires) VALUES (?, ?, ?)",
            (self.make_and_validate_key(key, version=version), self._dump(value), self._expires(timeout)),
        )
        self._maybe_purge(now)

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        now = time.time()
        row = self.conn.execute(
            "INSERT INTO cache (key, value, expires) VALUES (?1, ?2, ?3) ON CONFLICT(key) DO UPDATE"
            " SET value = excluded.value, expires = excluded.expires, taken = NULL WHERE expires <= ?4"
            " RETURNING 1",
            (
                self.make_and_validate_key(key, version=version),
                self._dump(value),
                self._expires(timeout),
                now,
            ),
        ).fetchone()
        self._maybe_purge(now)
        return row is not None

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        row = self.conn.execute(
            "UPDATE cache SET value = value + ?1 WHERE key = ?2 AND expires > ?3"
            " AND typeof(value) = 'integer' RETURNING value",
            (delta, self.make_and_validate_key(key, version=version), time.time()),
        ).fetchone()
        if row is None:
            raise ValueError(f"Key '{key}' not found")
        return int(row[0])

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        cursor = self.conn.execute(
            "UPDATE cache SET expires = ?1 WHERE key = ?2 AND expires > ?3",
            (self._expires(timeout), self.make_and_validate_key(key, version=version), time.time()),
        )
        return cursor.rowcount > 0

    def delete(self, key: str, version: int | None = None) -> bool:
        cursor = self.conn.execute(
            "DELETE FROM cache WHERE key = ?", (self.make_and_validate_key(key, version=version),)
        )
        return cursor.rowcount > 0

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self.get(key, self._missing_key, version=version) is not self._missing_key

    def clear(self) -> None:
        self.conn.execute("DELETE FROM cache")

    # --- the rate limiter's lease (agora/core/ratelimit.py, ADR 0005) ---------------------------
    def lease(self, key: str, *, ttl: int, most: int, limit: int) -> tuple[int, int]:
        """Add k to the count `key` (k at most `most` and 1/32 of what is left below `limit`, at least
        1), a new count expiring in `ttl` seconds if there is none live; (the count after, k). The
        same as ratelimit's Lua script on Redis; `key` is already made (make_key)."""
        now = time.time()
        first = max(1, min(most, limit // 32))
        row = self.conn.execute(
            "INSERT INTO cache (key, value, expires, taken) VALUES (?1, ?2, ?3, ?2)"
            " ON CONFLICT(key) DO UPDATE SET"
            "  value = CASE WHEN expires > ?4 THEN value + max(1, min(?5, (?6 - value) / 32)) ELSE ?2 END,"
            "  taken = CASE WHEN expires > ?4 THEN max(1, min(?5, (?6 - value) / 32)) ELSE ?2 END,"
            "  expires = CASE WHEN expires > ?4 THEN expires ELSE ?3 END"
            " RETURNING value, taken",
            (key, first, now + ttl, now, most, limit),
        ).fetchone()
        self._maybe_purge(now)
        return int(row[0]), int(row[1])
