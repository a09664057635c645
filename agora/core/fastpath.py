"""The outbox's two writes as fixed SQL, the twins of the ORM's in agora/core/outbox.py (same rows;
the tests run both). Every transaction that queues tasks pays them, so they are on the hot paths
(posting, checkout): through the ORM the INSERT cost about 270 us of CPU and the DELETE about 350 us
here; through sqlrows about 100 and 75 (bench/market/checkout_cpu.py, docs/performance.md).

The DELETE after a relay runs with `synchronous_commit` off on PostgreSQL (in autocommit mode): its
commit does not wait for the WAL to reach the disk, so the request does not wait twice. A DELETE
lost to a crash only leaves a row the sweep publishes again, which every task allows.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from agora.core.models import OutboxMessage
from agora.core.sqlrows import Table, quote, run_statements

_table: dict[str, Any] = {}


def _sql() -> dict[str, Any]:
    if not _table:
        _table["rows"] = Table(OutboxMessage)
        _table["delete"] = f"DELETE FROM {quote(OutboxMessage._meta.db_table)} WHERE {quote('id')} = %s"  # noqa: S608
    return _table


def insert(row_id: int, calls: list[list[Any]]) -> None:
    rows = _sql()["rows"]
    run_statements([rows.insert(connection, [rows.values(id=row_id, calls=calls)])])


def delete(row_id: int) -> None:
    statements: list[tuple[str, list[Any]]] = [(_sql()["delete"], [row_id])]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # One query: the server runs both as one implicit transaction, which SET LOCAL applies to.
        statements.insert(0, ("SET LOCAL synchronous_commit TO OFF", []))
    run_statements(statements)
