"""Fixed SQL for hot paths: statements built once from model metadata, rows made into instances.

The ORM spends most of a short request compiling querysets (select_related, bulk_create and
update() each cost 0.2-0.5 ms of CPU here, bench/market/checkout_cpu.py). On the few paths measured
to need it (the bearer-token check, checkout, the home timeline's flags) the same statements are built once per database
vendor and run on a cursor. Values still go through each field's own conversions in both
directions (`get_db_prep_save`, the backend's and the field's db converters), so what is written
and read is exactly what the ORM would write and read, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model

Converter = Callable[[Any, Any, Any], Any]


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def columns(model: type[Model], names: Sequence[str]) -> list[Field[Any, Any]]:
    """The concrete fields called `names` (attnames or names) of `model`, in that order."""
    by_name: dict[str, Field[Any, Any]] = {}
    for f in model._meta.concrete_fields:
        by_name[f.name] = by_name[f.attname] = f
    return [by_name[n] for n in names]


class RowReader:
    """Turns one flat result row into instances of several models (a SELECT over a JOIN).

    `parts` are (model, fields) in the order their columns appear in the row; a part whose primary
    key is NULL (an outer join that found nothing) reads as None.
    """

    def __init__(self, parts: Sequence[tuple[type[Model], Sequence[Field[Any, Any]]]]) -> None:
        self.parts: list[tuple[type[Model], list[str], int, int, int]] = []
        self.converters: list[tuple[int, list[tuple[Converter, Any]]]] = []
        # Model.from_db takes values in the model's field order when some fields are left out, so
        # each part's columns are selected in that order, whatever order the caller named them in.
        self.fields = [
            (model, sorted(fields, key=list(model._meta.concrete_fields).index)) for model, fields in parts
        ]
        start = 0
        for model, fields in self.fields:
            names = [f.attname for f in fields]
            pk_at = start + names.index(model._meta.pk.attname)  # type: ignore[union-attr]
            self.parts.append((model, names, start, start + len(fields), pk_at))
            for i, f in enumerate(fields, start):
                col = f.get_col(model._meta.db_table)
                convs = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
                if convs:
                    self.converters.append((i, [(c, col) for c in convs]))
            start += len(fields)

    def select_list(self, tables: Sequence[str]) -> str:
        """The columns, each qualified by its part's table name or alias."""
        return ", ".join(
            f"{table}.{quote(str(f.column))}"
            for (_model, fields), table in zip(self.fields, tables, strict=True)
            for f in fields
        )

    def read(self, row: Sequence[Any]) -> list[Any]:
        """One instance (or None) per part, in the parts' order."""
        values = list(row)
        for i, convs in self.converters:
            for conv, col in convs:
                values[i] = conv(values[i], col, connection)
        db = connection.alias
        return [
            None if values[pk_at] is None else model.from_db(db, names, values[start:end])
            for model, names, start, end, pk_at in self.parts
        ]


class _Insert:
    def __init__(self, model: type[Model]) -> None:
        self.fields = list(model._meta.concrete_fields)
        cols = ", ".join(quote(str(f.column)) for f in self.fields)
        self.head = f"INSERT INTO {quote(model._meta.db_table)} ({cols}) VALUES "  # noqa: S608
        self.row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.sql: dict[int, str] = {}

    def statement(self, n: int) -> str:
        sql = self.sql.get(n)
        if sql is None:
            sql = self.sql[n] = self.head + ", ".join([self.row] * n)
        return sql


_inserts: dict[tuple[str, type[Model]], _Insert] = {}


def insert_statement(objs: Sequence[Model]) -> tuple[str, list[Any]]:
    """The INSERT of model instances (all of one model, primary keys already set) as one statement.

    For models whose primary key comes from a Python default (our snowflake ids): nothing needs
    reading back. Fields are prepared as Model.save() would (pre_save, e.g. auto_now_add, then
    get_db_prep_save); the instances are marked as saved.
    """
    model = type(objs[0])
    key = (connection.vendor, model)
    insert = _inserts.get(key)
    if insert is None:
        insert = _inserts[key] = _Insert(model)
    params: list[Any] = []
    for obj in objs:
        params += [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in insert.fields]
        obj._state.adding = False
        obj._state.db = connection.alias
    return insert.statement(len(objs)), params


def _one_query() -> bool:
    # Django's psycopg cursors bind parameters on the client unless server_side_binding is set, so
    # several statements can travel as one query string.
    return connection.vendor == "postgresql" and not connection.settings_dict["OPTIONS"].get(
        "server_side_binding"
    )


def run_atomically(statements: Sequence[tuple[str, Sequence[Any]]]) -> list[int]:
    """Run statements as one transaction; each one's row count. The first failing one raises and
    nothing is written.

    On PostgreSQL in autocommit mode they are one query, which the server runs as one implicit
    transaction: row locks taken by them are held only while the server runs it (and commits),
    never across a network round trip or a Python thread waiting for the GIL. Elsewhere, and inside
    an open transaction, they run in atomic() (a savepoint when nested).
    """
    if _one_query() and connection.get_autocommit() and not connection.in_atomic_block:
        return run_statements(statements)
    with transaction.atomic():
        return run_statements(statements)


def run_statements(statements: Sequence[tuple[str, Sequence[Any]]]) -> list[int]:
    """Run statements in order and return each one's row count.

    On PostgreSQL they travel in one round trip (each round trip costs ~70 us of Python in psycopg,
    besides the network); elsewhere they run one by one. Either way they are in the caller's
    transaction (or, on PostgreSQL in autocommit mode, in the implicit one of the single query).
    """
    with connection.cursor() as cursor:
        if _one_query():
            cursor.execute(
                ";\n".join(sql for sql, _ in statements), [p for _, params in statements for p in params]
            )
            counts = [cursor.rowcount]
            while cursor.cursor.nextset():
                counts.append(cursor.rowcount)
            return counts
        counts = []
        for sql, params in statements:
            cursor.execute(sql, params)
            counts.append(cursor.rowcount)
        return counts


def bigint_array(ids: Sequence[int]) -> str:
    """Ids as one PostgreSQL array literal, for `= ANY(%s::bigint[])`: one parameter however many
    ids (psycopg inspects each element of a list parameter; int() keeps the literal safe)."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


# Which prepared statements each PostgreSQL session (psycopg connection) already holds.
_prepared: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


class Prepared:
    """A fixed query that PostgreSQL plans once per session (PREPARE, then EXECUTE).

    Planning is most of a short query's server CPU: with pgbench here the home timeline's flags
    query ran 10.7k/s unprepared against 73k/s prepared, the token check 19.9k/s against 50.9k/s.
    Django binds parameters on the client, so psycopg never prepares on its own; the EXECUTE goes
    through Django's cursor (query logging and counting see it as the one query it is). `sql` uses %s
    placeholders; elsewhere (SQLite, which caches its statements anyway) it runs as it is.
    """

    registry: dict[str, Prepared] = {}  # by name (bench/market/flash_sale.py replays them)

    def __init__(self, name: str, sql: str) -> None:
        self.registry[name] = self
        self.name = name
        self.sql = sql
        self.arity = sql.count("%s")
        numbered = iter(range(1, self.arity + 1))
        self.prepare = f"PREPARE {name} AS " + re.sub("%s", lambda _m: f"${next(numbered)}", sql)
        self.execute_sql = f"EXECUTE {name}(" + ", ".join(["%s"] * self.arity) + ")"

    def execute(self, cursor: Any, params: Sequence[Any]) -> None:
        if connection.vendor != "postgresql":
            cursor.execute(self.sql, params)
            return
        raw = connection.connection  # open: the caller holds a cursor
        held = _prepared.setdefault(raw, set())
        if self.name not in held:
            # Session set-up, like the time zone Django sets on connecting: on the raw connection, so
            # it is not counted as one of the request's queries. Not transactional: a rollback keeps it.
            raw.execute(self.prepare)
            held.add(self.name)
        cursor.execute(self.execute_sql, params)
