"""Queries sent through libpq directly (psycopg's PGconn), for the hottest reads on PostgreSQL.

A short query through Django's cursor costs about 170-230 us of Python here (Django's wrapper,
psycopg's Cursor with client-side binding, its literal dumpers); the same query sent on psycopg's
libpq wrapper and its rows loaded by psycopg's own loaders (a Transformer) costs about 55 us, so
the values are exactly what a cursor would return. Only for statements whose only `%` are their
%s placeholders and whose parameters are ints, bools, strings or None (anything else is a TypeError).

Django still sees the query: its connection is opened, health-checked and checked for a broken
transaction as for a cursor, errors come out as Django's database exceptions, and with query
logging on (DEBUG, tests counting queries) the query is logged as the cursor would log it. Where
something else wants each query (execute wrappers), or psycopg would first open a transaction
itself (autocommit off, none open yet), `run` returns None and the caller takes Django's cursor.
"""

from __future__ import annotations

import select
import time
from collections.abc import Sequence
from typing import Any

from django.db import connection
from psycopg import errors, pq
from psycopg.adapt import Transformer
from psycopg.pq import abc

Rows = list[tuple[Any, ...]]


def literal(escaping: abc.Escaping, value: Any) -> bytes:
    kind = type(value)
    if value is None:
        return b"NULL"
    if kind is bool:
        return b"true" if value else b"false"
    if kind is int:
        return str(value).encode()
    if kind is str:
        return escaping.escape_literal(value.encode())
    raise TypeError(f"libpq.run takes ints, bools, strings and None, not {kind.__name__}")


def bind(escaping: abc.Escaping, text: str, params: Sequence[Any]) -> bytes:
    """`text` with each %s replaced by its parameter as a literal (libpq's own quoting)."""
    parts = text.encode().split(b"%s")
    if len(parts) != len(params) + 1:
        raise TypeError(f"{len(parts) - 1} placeholders for {len(params)} parameters")
    out = [parts[0]]
    for value, part in zip(params, parts[1:], strict=True):
        out += [literal(escaping, value), part]
    return b"".join(out)


def run(statements: Sequence[tuple[str, Sequence[Any]]]) -> list[Rows] | None:
    """Each statement's rows (`sql` with %s placeholders), all in one round trip, or None: use a cursor."""
    db = connection
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
    escaping = pq.Escaping(pgconn)
    sql = b";\n".join(bind(escaping, text, params) for text, params in statements)
    started = time.monotonic()
    with db.wrap_database_errors:
        results = _round_trip(pgconn, sql)
        for res in results:
            if res.status == pq.ExecStatus.FATAL_ERROR:
                raise errors.error_from_result(res, encoding=raw.info.encoding)
    if db.queries_logged:
        db.queries_log.append({"sql": sql.decode(), "time": f"{time.monotonic() - started:.3f}"})
    loader = Transformer(raw)
    rows = []
    for res in results:
        loader.set_pgresult(res)
        rows.append(loader.load_rows(0, res.ntuples, tuple))
    return rows


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
