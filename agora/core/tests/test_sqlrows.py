"""agora.core.sqlrows: fixed SQL writes and reads the same values the ORM would, atomically."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import signals
from django.utils import timezone

from agora.accounts.models import User
from agora.catalog.models import Product, Variant
from agora.catalog.testing import first_variant, make_product
from agora.core import sqlrows
from agora.core.ids import new_id
from agora.core.sqlrows import Prepared, Select, Table, instance, quote, run_atomically
from agora.orders.models import OrderEvent
from agora.payments.testing import buy
from agora.shops.testing import make_shop

STOCK = Prepared("agora_test_stock", f"SELECT {quote('stock')} FROM {quote('catalog_variant')} WHERE id = %s")


def _stock(variant_id: int) -> int:
    return STOCK.fetch([variant_id])[0][0]


def test_rows_written_and_read_with_fixed_sql_match_the_orm(make_user):
    # given an order, and an audit row given as values (snowflake id and time set by the caller)
    owner, buyer = make_user(), make_user()
    variant = first_variant(make_product(make_shop(owner), price="12.50", stock=3))
    order = buy(buyer, variant)
    events = Table(OrderEvent)
    row = events.values(
        id=new_id(),
        order_id=order.id,
        from_status="",
        to_status="x",
        event="note",
        actor_id=buyer.id,
        note="写 'it'; --",
        created_at=timezone.now(),
    )
    # when it is inserted with fixed SQL
    assert run_atomically([events.insert(connection, [row])]) == [1]
    # then the ORM reads back what was written, and the instance made from the row is the same
    made = events.instance(connection, row)
    stored = OrderEvent.objects.get(id=made.id)
    assert (stored.note, stored.actor_id, stored.order_id) == ("写 'it'; --", buyer.id, order.id)
    assert stored.created_at == made.created_at and made._state.adding is False
    # and a joined row read with a Select has the ORM's types (Decimal price, dict options)
    select = Select(
        [("v", Variant, ["id", "product_id", "price", "options", "stock"]), ("p", Product, ["title"])]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {select.sql} FROM {quote('catalog_variant')} v "
            f"JOIN {quote('catalog_product')} p ON p.id = v.product_id WHERE v.id = %s",
            [variant.id],
        )
        values = select.read(connection, cursor.fetchone())
    _id, _product_id, price, options, stock = values[select.spans[0]]
    orm = Variant.objects.select_related("product").get(id=variant.id)
    assert price == orm.price == Decimal("12.50")
    assert options == orm.options and isinstance(options, dict)
    assert (values[select.spans[1]], stock) == ([orm.product.title], orm.stock)


@pytest.mark.django_db(transaction=True)
def test_a_failing_statement_leaves_nothing_written(make_user):
    # given a variant with 2 units
    variant = first_variant(make_product(make_shop(make_user()), stock=2))
    take = f"UPDATE {quote('catalog_variant')} SET stock = stock - %s WHERE id = %s"
    # when one batch takes 1 unit and then 5 (the CHECK stock >= 0 refuses the second)
    with pytest.raises(IntegrityError):
        run_atomically([(take, [1, variant.id]), (take, [5, variant.id])])
    # then the first decrement was not kept either (autocommit: PostgreSQL's implicit transaction)
    assert Variant.objects.get(id=variant.id).stock == 2
    # and a batch that fits is applied whole, with each statement's row count
    assert run_atomically([(take, [1, variant.id]), (take, [1, variant.id])]) == [1, 1]
    assert Variant.objects.get(id=variant.id).stock == 0


def test_a_failing_batch_inside_a_transaction_rolls_back_only_itself(make_user):
    variant = first_variant(make_product(make_shop(make_user()), stock=2))
    take = f"UPDATE {quote('catalog_variant')} SET stock = stock - %s WHERE id = %s"
    with pytest.raises(IntegrityError):
        run_atomically([(take, [1, variant.id]), (take, [5, variant.id])])
    # the test's own transaction is still usable: the batch ran in a savepoint
    assert Variant.objects.get(id=variant.id).stock == 2


def test_a_prepared_query_is_one_query_per_call_and_outlives_a_rollback(make_user, django_assert_num_queries):
    variant = first_variant(make_product(make_shop(make_user()), stock=7))
    assert _stock(variant.id) == 7
    # each later call is one query (PREPARE is session set-up, sent once per connection)
    with django_assert_num_queries(1):
        assert _stock(variant.id) == 7
    # a rolled-back transaction does not take the prepared statement with it
    with pytest.raises(RuntimeError), transaction.atomic():
        Variant.objects.filter(id=variant.id).update(stock=1)
        assert _stock(variant.id) == 1
        raise RuntimeError
    assert _stock(variant.id) == 7


def test_an_instance_built_from_a_row_is_what_from_db_builds(make_user):
    # given a user read with some fields only (an avatar image among them, the rest deferred)
    user = make_user()
    names = ["id", "username", "avatar", "followers_count"]
    row = list(User.objects.filter(id=user.id).values_list(*names).get())
    # when an instance is built from the row, and Django builds one the same way
    built = instance(User, "default", names, row)
    orm = User.from_db("default", names, row)
    # then both hold the same values, are saved instances of the same database, and defer the rest
    assert [getattr(built, n) for n in names] == [getattr(orm, n) for n in names]
    assert (built._state.adding, built._state.db) == (False, "default")
    assert built.get_deferred_fields() == orm.get_deferred_fields() and "email" in built.get_deferred_fields()
    assert built.email == user.email  # a deferred field is read on first use, as Django does
    assert built == user and not built.avatar


def test_a_model_with_an_init_receiver_is_built_by_django(make_user):
    # given a receiver of post_init for users (a model that needs its __init__)
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_init.connect(receiver, sender=User)
    sqlrows._plain.pop(User, None)  # decided again on the next use
    try:
        user = make_user()
        seen.clear()
        # when an instance is built from a row
        built = instance(User, "default", ["id", "username"], [user.id, user.username])
        # then Django's own constructor ran, signal and all
        assert seen == [built]
    finally:
        signals.post_init.disconnect(receiver, sender=User)
        sqlrows._plain.pop(User, None)
