"""Fixed SQL for hot paths: statements built once from model metadata, rows as plain values.

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
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor, ImageFileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.utils import timezone

from agora.core import libpq

Converter = Callable[[Any, Any, Any], Any]


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def columns(model: type[Model], names: Sequence[str]) -> list[Field[Any, Any]]:
    """The concrete fields called `names` (attnames or names) of `model`, in that order."""
    by_name: dict[str, Field[Any, Any]] = {}
    for f in model._meta.concrete_fields:
        by_name[f.name] = by_name[f.attname] = f
    return [by_name[n] for n in names]


class Select:
    """A SELECT's columns, named by (table alias, model, field names), and the conversions the ORM
    applies to each value it reads (JSON text to Python, SQLite's integers to bools and its text to
    Decimals...). `spans` says where each part's values are in a row."""

    def __init__(self, parts: Sequence[tuple[str, type[Model], Sequence[str]]]) -> None:
        sql: list[str] = []
        self.converters: list[tuple[int, Any, list[Converter]]] = []
        self.spans: list[slice] = []
        for alias, model, names in parts:
            start = len(sql)
            for f in columns(model, names):
                col = f.get_col(alias)
                convs = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
                if convs:
                    self.converters.append((len(sql), col, convs))
                sql.append(f"{alias}.{quote(str(f.column))}")
            self.spans.append(slice(start, len(sql)))
        self.sql = ", ".join(sql)

    def read(self, db: BaseDatabaseWrapper, row: Sequence[Any]) -> list[Any]:
        values = list(row)
        for i, col, convs in self.converters:
            for conv in convs:
                values[i] = conv(values[i], col, db)
        return values


def in_field_order(model: type[Model], names: Sequence[str]) -> list[str]:
    """`names` in the model's field order: Model.from_db takes a subset of the fields in that order."""
    order = [f.attname for f in model._meta.concrete_fields]
    return sorted(names, key=order.index)


# Fields whose values Model.save() hands to the database driver as they are: get_db_prep_save is
# int(), str() or bool() of what they already are, and Decimals go as they are on PostgreSQL and
# SQLite. Any other field's values go through its get_db_prep_save, as in save().
_AS_IS = (models.IntegerField, models.CharField, models.TextField, models.BooleanField, models.DecimalField)


def _as_is(field: Field[Any, Any]) -> bool:
    if isinstance(field, models.ForeignKey):
        field = field.target_field  # a foreign key's values are its target's
    return isinstance(field, _AS_IS)


M = TypeVar("M", bound=Model)

# Descriptors that, on an instance being built, store the value in its __dict__ and nothing more
# (a file field's wraps it in a FieldFile when read; an image field's sets its dimensions only when
# a file is replaced).
_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor, ImageFileDescriptor)
_plain: dict[type[Model], bool] = {}


def _is_plain(model: type[Model]) -> bool:
    """Whether Model.__init__ would only store each value in the instance's __dict__: no init
    signal receivers, no from_db of its own, and only descriptors that store values as they are."""
    return (
        not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
        and getattr(model.from_db, "__func__", None) is Model.from_db.__func__  # type: ignore[attr-defined]
        and all(
            type(model.__dict__.get(f.attname)) in _PLAIN_DESCRIPTORS for f in model._meta.concrete_fields
        )
    )


def instance(model: type[M], alias: str, names: Sequence[str], values: Sequence[Any]) -> M:
    """Model.from_db(alias, names, values): the saved instance holding `values` of the fields called
    `names` (attnames, in field order), the others deferred.

    Without Model.__init__ where the model allows it (_is_plain, decided on first use): __init__
    sends two signals and sets each value through its descriptor, which cost a checkout 95-181 us
    of CPU for its six instances here (docs/performance.md, sixth pass)."""
    plain = _plain.get(model)
    if plain is None:
        plain = _plain[model] = _is_plain(model)
    if not plain:
        return model.from_db(alias, names, values)
    obj = model.__new__(model)
    obj.__dict__.update(zip(names, values, strict=True))
    state = obj._state = ModelState()
    state.adding = False
    state.db = alias
    return obj


def _now_for(field: Field[Any, Any]) -> Callable[[], Any]:
    if isinstance(field, models.DateTimeField):
        return timezone.now
    if isinstance(field, models.DateField):
        return lambda: timezone.now().date()
    return lambda: timezone.now().time()


class Table(Generic[M]):
    """The INSERT of one model's rows, built from values by attname without model instances.

    It sends what Model.save() would: the fields given, the others their constant default, each
    value prepared for the driver as save() prepares it (JSON to Jsonb or text, a datetime as is on
    PostgreSQL and as UTC text on SQLite...). For models whose primary key comes from a Python
    default (our snowflake ids), which the caller gives, so nothing needs reading back. Instances
    and get_db_prep_save on every column cost a checkout ~0.12 ms for its order, line and audit
    rows; this takes ~0.02 ms.
    """

    def __init__(self, model: type[M]) -> None:
        self.model = model
        fields: list[Field[Any, Any]] = list(model._meta.concrete_fields)
        self.names = [f.attname for f in fields]
        self.known = frozenset(self.names)
        # Constant defaults are taken once; callable ones (ids) and times set on save are made per
        # row when the caller does not give them, as save() would.
        self.defaults: dict[str, Any] = {}
        self.fresh: dict[str, Callable[[], Any]] = {}
        for f in fields:
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                self.fresh[f.attname] = _now_for(f)
            elif f.has_default() and callable(f.default):
                self.fresh[f.attname] = f.get_default
            else:
                self.defaults[f.attname] = f.get_default()
        self.prepared = [(i, f) for i, f in enumerate(fields) if not _as_is(f)]
        cols = ", ".join(quote(str(f.column)) for f in fields)
        self.head = f"INSERT INTO {quote(model._meta.db_table)} ({cols}) VALUES "  # noqa: S608
        self.placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"

    def values(self, **given: Any) -> list[Any]:
        """One row in column order, as the model's Python values (what Model.from_db takes)."""
        if not given.keys() <= self.known:
            raise TypeError(f"{self.model.__name__} has no columns {sorted(given.keys() - self.known)}")
        return [
            given[n] if n in given else self.defaults[n] if n in self.defaults else self.fresh[n]()
            for n in self.names
        ]

    def insert(self, db: BaseDatabaseWrapper, rows: Sequence[list[Any]]) -> tuple[str, list[Any]]:
        params: list[Any] = []
        for row in rows:
            prepared = list(row)
            for i, f in self.prepared:
                if prepared[i] is not None:  # NULL either way (JSONField's own rule too)
                    prepared[i] = f.get_db_prep_save(prepared[i], db)
            params += prepared
        return self.head + ", ".join([self.placeholders] * len(rows)), params

    def instance(self, db: BaseDatabaseWrapper, row: list[Any]) -> M:
        """The saved instance holding the row (as if read back)."""
        return instance(self.model, db.alias, self.names, row)


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

    On PostgreSQL they travel in one round trip, through libpq where they can (agora/core/libpq.py);
    elsewhere they run one by one. Either way they are in the caller's transaction (or, on
    PostgreSQL in autocommit mode, in the implicit one of the single query).
    """
    one_query = _one_query()
    if one_query:
        counts = libpq.execute(statements)
        if counts is not None:
            return counts
    with connection.cursor() as cursor:
        if one_query:
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
    through libpq (agora/core/libpq.py: query logging and counting see it as the one query it is).
    `sql` uses %s placeholders; elsewhere (SQLite, which caches its statements anyway) it runs as it
    is, on a cursor.
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

    def fetch(self, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The statement's rows."""
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(self.sql, params)
                return cursor.fetchall()
        return self.fetch_together([(self, params)])[0]

    @staticmethod
    def fetch_together(statements: Sequence[tuple[Prepared, Sequence[Any]]]) -> list[list[tuple[Any, ...]]]:
        """Each statement's rows, all in one round trip (PostgreSQL only). Sent through libpq
        (agora/core/libpq.py) where it can be, else on Django's cursor."""
        db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: each attribute of `connection` is a lookup
        db.close_if_health_check_failed()  # before preparing on the connection it may close
        db.ensure_connection()
        held = _prepared.setdefault(db.connection, set())
        for statement, _ in statements:
            if statement.name not in held:
                # Session set-up, like the time zone Django sets on connecting: on the raw
                # connection, so not counted as one of the request's queries. Not transactional: a
                # rollback keeps it.
                db.connection.execute(statement.prepare)
                held.add(statement.name)
        sent = [(st.execute_sql, params) for st, params in statements]
        rows = libpq.run(sent)
        if rows is not None:
            return rows
        with connection.cursor() as cursor:
            cursor.execute(";\n".join(sql for sql, _ in sent), [p for _, params in sent for p in params])
            rows = [cursor.fetchall()]
            while cursor.cursor.nextset():
                rows.append(cursor.fetchall())
            return rows
