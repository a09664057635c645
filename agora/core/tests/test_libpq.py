"""Queries sent through libpq directly (agora/core/libpq.py): the same rows a cursor returns, safe
quoting, Django's exceptions, counted as queries, and other threads run while PostgreSQL works."""

import json
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import DataError, ProgrammingError, connection, transaction
from django.test.utils import CaptureQueriesContext
from psycopg.types.json import Jsonb

from agora.accounts.models import User
from agora.core import libpq
from agora.core.sqlrows import Prepared

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_profile():
    if connection.vendor != "postgresql":
        pytest.skip("libpq is PostgreSQL's client library (the production profile)")
    # Each test runs in a transaction that psycopg opens with the first query: open it, as any
    # earlier query of a request would have (test_a_transaction_not_open_yet_takes_the_cursor).
    User.objects.exists()


VALUES = (
    "SELECT %s::bigint, %s::text, %s::boolean, %s::text, %s::bigint[], "
    "'2026-11-30 12:00:00+00'::timestamptz, 1.50::numeric, NULL::int"
)
PARAMS = [2**62, "它's \\ a -- test; DROP TABLE x", True, None, "{1,2,3}"]


def test_rows_are_what_a_cursor_returns():
    (rows,) = libpq.run([(VALUES, PARAMS)])
    with connection.cursor() as cursor:
        cursor.execute(VALUES, PARAMS)
        assert rows == cursor.fetchall()
    big, text, flag, missing, ids, when, amount, null = rows[0]
    assert (big, text, flag, missing, ids, null) == (2**62, PARAMS[1], True, None, [1, 2, 3], None)
    assert when == datetime(2026, 11, 30, 12, tzinfo=UTC)
    assert str(amount) == "1.50"


def test_a_quote_in_a_parameter_cannot_end_the_statement():
    hostile = "x'); DELETE FROM accounts_user; --"
    User.objects.create(username="stays")
    (rows,) = libpq.run([("SELECT %s::text", [hostile])])
    assert rows == [(hostile,)]
    assert User.objects.filter(username="stays").exists()


def test_other_values_are_quoted_by_psycopgs_dumpers():
    sql = "SELECT %s::numeric, %s::timestamptz, %s::jsonb"
    params = [Decimal("12.50"), datetime(2026, 11, 30, 8, 30, tzinfo=UTC), Jsonb({"颜色": "红"})]
    (rows,) = libpq.run([(sql, params)])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert rows == cursor.fetchall()
    amount, when, document = rows[0]
    assert (amount, when, json.loads(document)) == (params[0], params[1], {"颜色": "红"})


def test_only_plain_placeholders():
    with pytest.raises(TypeError):
        libpq.run([("SELECT %s, %s", [1])])
    with pytest.raises(TypeError):
        libpq.run([("SELECT 'a%%' || %s", ["b"])])


def test_row_counts_of_writes():
    a, b = User.objects.create(username="count_a"), User.objects.create(username="count_b")
    counts = libpq.execute(
        [
            ("UPDATE accounts_user SET bio = %s WHERE id = ANY(%s::bigint[])", ["x", f"{{{a.id},{b.id}}}"]),
            ("DELETE FROM accounts_user WHERE id = %s", [0]),
        ]
    )
    assert counts == [2, 0]
    assert set(User.objects.filter(bio="x").values_list("username", flat=True)) == {"count_a", "count_b"}


def test_several_statements_one_round_trip_each_with_its_rows():
    with CaptureQueriesContext(connection) as queries:
        first, second = libpq.run([("SELECT %s::int", [1]), ("SELECT generate_series(1, %s)", [3])])
    assert first == [(1,)] and second == [(1,), (2,), (3,)]
    assert len(queries) == 1  # logged as one query, as a cursor would log it
    assert queries[0]["sql"] == "SELECT 1::int;\nSELECT generate_series(1, 3)"


def test_errors_are_djangos_and_atomic_rolls_them_back():
    with pytest.raises(DataError), transaction.atomic():
        libpq.run([("SELECT 1 / %s", [0])])
    with pytest.raises(ProgrammingError), transaction.atomic():
        libpq.run([("SELECT * FROM no_such_table WHERE id = %s", [1])])
    assert libpq.run([("SELECT %s::int", [7])]) == [[(7,)]]


def test_reads_inside_the_open_transaction():
    with transaction.atomic():
        user = User.objects.create(username="unsaved_yet")
        assert libpq.run([("SELECT username FROM accounts_user WHERE id = %s", [user.id])]) == [
            [("unsaved_yet",)]
        ]


def test_a_transaction_not_open_yet_takes_the_cursor():
    # psycopg opens it (with the connection's isolation level) on a cursor's first query.
    statement = Prepared("agora_test_libpq_begin", "SELECT %s::int * 2")
    with transaction.atomic(savepoint=False):
        pass
    connection.connection.rollback()  # psycopg's transaction: none open, autocommit still off
    assert libpq.run([("SELECT 1", [])]) is None
    assert statement.fetch([21]) == [(42,)]


def test_the_cursor_serves_when_someone_wraps_every_query():
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    statement = Prepared("agora_test_libpq_wrap", "SELECT %s::int + 1")
    assert statement.fetch([1]) == [(2,)]
    with connection.execute_wrapper(wrapper):
        assert libpq.run([("SELECT 1", [])]) is None
        assert statement.fetch([41]) == [(42,)]
    assert seen == ["EXECUTE agora_test_libpq_wrap(%s)"]


def test_other_threads_run_while_postgresql_works():
    ran_at: list[float] = []
    started = threading.Event()

    def other() -> None:
        started.set()
        time.sleep(0.05)
        ran_at.append(time.monotonic())

    thread = threading.Thread(target=other)
    thread.start()
    started.wait()
    libpq.run([("SELECT pg_sleep(%s)", ["0.5"])])
    returned_at = time.monotonic()
    thread.join()
    # Had the wait held the GIL, the other thread could not have woken before the query returned.
    assert ran_at[0] < returned_at
