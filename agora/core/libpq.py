"""Queries sent through libpq directly (psycopg's PGconn), for the hot paths on PostgreSQL.

A short query through Django's cursor costs about 130 us of Python here (Django's wrapper,
psycopg's Cursor with client-side binding, its literal dumpers); the same query sent on psycopg's
libpq wrapper costs about 65 us (bench/platform/client_paths.py). Ints and strings are quoted by
libpq, other values by psycopg's own dumpers, and rows are loaded by psycopg's own loaders (a
Transformer kept per connection): what is sent and what comes back is exactly what a cursor would
send and return. Only for SQL whose only `%` are its %s placeholders (anything else is a TypeError).

Django still sees the query: its connection is opened, health-checked and checked for a broken
transaction as for a cursor, errors come out as Django's database exceptions, and with query
logging on (DEBUG, tests counting queries) the query is logged as the cursor would log it. Where
something else wants each query (execute wrappers), or psycopg would first open a transaction
itself (autocommit off, none open yet), `run` and `execute` return None: the caller takes Django's
cursor.
"""

from __future__ import annotations

import select
import time
import weakref
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import errors, pq
from psycopg.abc import Transformer as AdaptersABC
from psycopg.adapt import Transformer
from psycopg.pq import abc

Rows = list[tuple[Any, ...]]


def literal(escaping: abc.Escaping, dumper: AdaptersABC, value: Any) -> bytes:
    kind = type(value)
    if value is None:
        return b"NULL"
    if kind is int:
        return str(value).encode()
    if kind is str:
        return escaping.escape_literal(value.encode())
    return dumper.as_literal(value)  # what psycopg's client-side binding sends (Decimal, Jsonb ...)


_split: dict[str, list[bytes]] = {}  # statement text -> its parts around the %s placeholders


def _parts(text: str) -> list[bytes]:
    parts = _split.get(text)
    if parts is None:
        parts = text.encode().split(b"%s")
        if any(b"%" in part for part in parts):
            raise TypeError(f"{text!r}: only %s placeholders")
        if len(_split) >= 10_000:  # texts are the hot paths' few fixed statements; bound it anyway
            _split.clear()
        _split[text] = parts
    return parts


def bind(escaping: abc.Escaping, dumper: AdaptersABC, text: str, params: Sequence[Any]) -> bytes:
    """`text` with each %s replaced by its parameter as a literal."""
    parts = _parts(text)
    if len(parts) != len(params) + 1:
        raise TypeError(f"{text!r}: one parameter per %s placeholder, not {len(params)}")
    out = [parts[0]]
    for value, part in zip(params, parts[1:], strict=True):
        out += [literal(escaping, dumper, value), part]
    return b"".join(out)


def run(statements: Sequence[tuple[str, Sequence[Any]]]) -> list[Rows] | None:
    """Each statement's rows, all in one round trip, or None: use a cursor."""
    sent = _send(statements)
    if sent is None:
        return None
    loader, results = sent
    rows = []
    for res in results:
        loader.set_pgresult(res)
        rows.append(loader.load_rows(0, res.ntuples, tuple))
    return rows


def execute(statements: Sequence[tuple[str, Sequence[Any]]]) -> list[int] | None:
    """Each statement's row count, all in one round trip, or None: use a cursor."""
    sent = _send(statements)
    return None if sent is None else [res.command_tuples or 0 for res in sent[1]]


_tools: weakref.WeakKeyDictionary[Any, tuple[abc.Escaping, AdaptersABC]] = weakref.WeakKeyDictionary()


def _send(statements: Sequence[tuple[str, Sequence[Any]]]) -> tuple[AdaptersABC, list[abc.PGresult]] | None:
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: each attribute of `connection` is a lookup
    if db.execute_wrappers:
        return None
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    db.validate_no_broken_transaction()
    raw = db.connection
    pgconn = raw.pgconn
    if not raw.autocommit and pgconn.transaction_status == pq.TransactionStatus.IDLE:
        return None
    tools = _tools.get(raw)
    if tools is None:
        # Kept per connection, as a psycopg cursor keeps its Transformer: its loaders are made once.
        tools = _tools[raw] = (pq.Escaping(pgconn), Transformer(raw))
    escaping, adapters = tools
    sql = b";\n".join(bind(escaping, adapters, text, params) for text, params in statements)
    started = time.monotonic()
    with db.wrap_database_errors:
        results = _round_trip(pgconn, sql)
        for res in results:
            if res.status == pq.ExecStatus.FATAL_ERROR:
                raise errors.error_from_result(res, encoding=raw.info.encoding)
    if db.queries_logged:
        db.queries_log.append({"sql": sql.decode(), "time": f"{time.monotonic() - started:.3f}"})
    return adapters, results


def _round_trip(pgconn: abc.PGconn, sql: bytes) -> list[abc.PGresult]:
    """Send, then wait for every result. The waits are select() calls, which let other threads run:
    libpq's own blocking calls, as psycopg wraps them, would hold the GIL while PostgreSQL works."""
    pgconn.send_query(sql)
    fd = pgconn.socket
    while pgconn.flush():
        select.select([], [fd], [])
    results: list[abc.PGresult] = []
    while True:
        while pgconn.is_busy():
            select.select([fd], [], [])
            pgconn.consume_input()
        res = pgconn.get_result()
        if res is None:
            return results
        results.append(res)
