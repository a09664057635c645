"""Checkout's errors, rows and response, checked against what the ORM reads back (both profiles)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agora.catalog.models import Product, Variant
from agora.catalog.testing import first_variant, make_product
from agora.orders import sweep
from agora.orders.checkout import Wanted, do_checkout
from agora.orders.models import Checkout, Order, OrderEvent, OrderLine
from agora.orders.serializers import order_json
from agora.orders.testing import make_address
from agora.orders.timing import pay_window
from agora.shops.testing import make_shop

# Every test here runs over checkout's fast path and its plain-ORM twin (AGORA_FAST_PATHS).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("both_paths")]


def checkout(client, address, *items, **headers):
    body = {
        "address_id": str(address.id),
        "items": [{"variant_id": str(v), "quantity": q} for v, q in items],
    }
    return client.post("/api/v1/checkout", body, headers=headers)


def test_the_response_is_what_the_orm_reads_back(market, make_user):
    # given two shops, a variant with options, and a key (so the Checkout row is written too)
    seller, buyer, shop, product, address, client = market
    other = make_product(make_shop(make_user("seller2")), price="120.00", stock=3)
    v1, v2 = product.variants.order_by("id")
    v3 = first_variant(other)
    # when the buyer checks out three lines across the two shops
    res = checkout(client, address, (v1.id, 2), (v3.id, 1), (v2.id, 1), **{"Idempotency-Key": "k-1"})
    # then each order in the response is exactly what the ORM reads back from the rows written
    assert res.status_code == 201, res.content
    assert res["Content-Type"] == "application/json; charset=utf-8"
    sent = res.json()["orders"]
    stored = list(
        Order.objects.filter(buyer=buyer)
        .select_related("shop__owner")
        .prefetch_related("lines")
        .order_by("id")
    )
    assert sent == [order_json(o) for o in stored]
    # and the rows hold what the old instance-based writes held
    first = stored[0]
    assert first.address == {**address.snapshot()} and first.discount == Decimal("0.00")
    assert first.pay_by == first.created_at + pay_window() and first.paid_at is None
    assert [ln.options for ln in first.lines.all()] == [v1.options, v2.options]
    assert first.lines.all()[0].line_total == Decimal("60.00") and first.subtotal == Decimal("90.00")
    key = Checkout.objects.get(buyer=buyer)
    assert key.idempotency_key == "k-1" and {o.checkout_id for o in stored} == {key.id}
    events = list(OrderEvent.objects.filter(order__buyer=buyer).order_by("order_id"))
    assert [(e.order_id, e.from_status, e.to_status, e.event, e.actor_id) for e in events] == [
        (o.id, "", "awaiting_payment", "create", buyer.id) for o in stored
    ]
    assert all(e.created_at == first.created_at for e in events)


def test_a_replayed_checkout_answers_the_same_orders(market):
    seller, buyer, shop, product, address, client = market
    v = first_variant(product)
    first = do_checkout(buyer, address_id=address.id, items=[Wanted(v.id, 2)], idempotency_key="again")
    # when the same key comes again (the ORM reads the orders back)
    with CaptureQueriesContext(connection):
        again = do_checkout(buyer, address_id=address.id, items=[Wanted(v.id, 2)], idempotency_key="again")
    # then the same orders, serialised the same, and no more stock taken
    assert [order_json(o) for o in again] == [order_json(o) for o in first]
    assert Variant.objects.get(id=v.id).stock == 3


def test_do_checkout_orders_carry_their_lines_shop_and_buyer(market, django_assert_num_queries):
    seller, buyer, shop, product, address, client = market
    v = first_variant(product)
    (order,) = do_checkout(buyer, address_id=address.id, items=[Wanted(v.id, 1)])
    with django_assert_num_queries(0):
        assert [ln.variant_id for ln in order.lines.all()] == [v.id]
        assert order.shop.owner.id == seller.id and order.buyer.id == buyer.id
    assert order.lines.filter(variant_id=v.id).count() == 1  # the prefetched lines still filter in SQL
    assert not order._state.adding and Order.objects.get(id=order.id).total == Decimal("38.00")


def test_a_missing_address_is_reported_before_anything_about_the_items(market, make_user):
    seller, buyer, shop, product, address, client = market
    stranger = make_address(make_user("stranger"))
    v = first_variant(product)
    too_many = [(v.id, 1)] * 51
    assert checkout(client, stranger, *too_many).status_code == 404
    assert checkout(client, stranger, (v.id, 999), (v.id, 1)).status_code == 404
    assert checkout(client, stranger, (v.id + 1, 1)).status_code == 404
    res = checkout(client, address, *too_many)
    assert res.status_code == 422 and res.json()["code"] == "too_many_items"
    res = checkout(client, address, (v.id, 999), (v.id, 1))
    assert (
        res.status_code == 409 and res.json()["code"] == "invalid_quantity"
    )  # each valid, together too many


def test_what_is_not_for_sale(market, make_user):
    seller, buyer, shop, product, address, client = market
    v1, v2 = product.variants.order_by("id")
    # no such variant: the address is found, no variant with it
    res = checkout(client, address, (v1.id, 1), (10**15, 1))
    assert res.status_code == 409 and res.json()["code"] == "unavailable"
    assert res.json()["variant_id"] == str(10**15)
    Variant.objects.filter(id=v2.id).update(is_active=False)
    res = checkout(client, address, (v1.id, 1), (v2.id, 1))
    assert res.status_code == 409 and res.json()["variant_id"] == str(v2.id)
    Product.objects.filter(id=product.id).update(is_listed=False)
    res = checkout(client, address, (v1.id, 1))
    assert res.status_code == 409 and res.json()["code"] == "unavailable"
    # the seller buying from their own shop
    own = make_product(make_shop(buyer), price="1.00")
    res = checkout(client, address, (first_variant(own).id, 1))
    assert res.status_code == 422 and res.json()["code"] == "own_shop"
    assert Order.objects.count() == 0 and OrderLine.objects.count() == 0


def test_out_of_stock_message_names_product_and_options(market):
    seller, buyer, shop, product, address, client = market
    v = first_variant(product)
    res = checkout(client, address, (v.id, 6))
    assert res.status_code == 409
    assert res.json() == {
        "error": "Not enough stock for T-shirt (size: S): 5 left, 6 wanted.",
        "code": "out_of_stock",
        "variant_id": str(v.id),
        "sku": v.sku,
        "available": 5,
    }


def test_checkout_is_one_read_and_one_write_on_postgresql(market, both_paths):
    if not both_paths:
        pytest.skip("the shape of the fast path's statements")
    # given a warm token path, and the sweep done a moment ago
    seller, buyer, shop, product, address, client = market
    v = first_variant(product)
    client.get("/api/v1/cart")
    sweep._last_check["at"] = time.monotonic()
    # when the buyer checks out
    with CaptureQueriesContext(connection) as captured:
        assert checkout(client, address, (v.id, 1)).status_code == 201
    # then from its read on (before it, the token check): the address with the variants, then the
    # writes, all in one query on PostgreSQL
    queries = [q["sql"] for q in captured.captured_queries]
    read = next(i for i, q in enumerate(queries) if "agora_checkout_read" in q or "orders_address" in q)
    kinds = [q.split(" ", 1)[0] for q in queries[read:]]
    if connection.vendor == "postgresql":
        assert kinds == ["EXECUTE", "SAVEPOINT", "INSERT", "RELEASE"]  # SAVEPOINT: the test's transaction
        assert queries[read + 2].count(";\n") == 4  # order, line, audit row; stock; outbox row
    else:
        assert kinds == ["SELECT", "SAVEPOINT", "INSERT", "INSERT", "INSERT", "UPDATE", "INSERT", "RELEASE"]
    # the outbox row (the shop's notice) is written with the order, and relayed after the commit
    assert "core_outboxmessage" in queries[-2 if connection.vendor != "postgresql" else read + 2]


def test_rows_are_prepared_as_the_orm_prepares_them(market):
    # given an order instance with every kind of value (JSON, Decimal, datetimes set and NULL)
    from agora.core.sqlrows import Table

    seller, buyer, shop, product, address, client = market
    order = Order(
        buyer=buyer,
        shop=shop,
        address=address.snapshot(),
        subtotal=Decimal("9.90"),
        shipping=Decimal("0.00"),
        total=Decimal("9.90"),
        pay_by=timezone.now(),
        refund_amount=None,
    )
    # what save() sends: each field's pre_save (sets created_at), then get_db_prep_save
    fields = Order._meta.concrete_fields
    orm_params = [f.get_db_prep_save(f.pre_save(order, True), connection) for f in fields]
    # when the same values go through the checkout's row builder
    table = Table(Order)
    given = {f.attname: getattr(order, f.attname) for f in Order._meta.concrete_fields}
    sql, params = table.insert(connection, [table.values(**given)])

    # then the same statement and parameters (JSON wrappers compared by what they hold)
    def plain(values):
        return [(type(v), v.obj) if hasattr(v, "obj") else v for v in values]

    assert sql.startswith(f"INSERT INTO {connection.ops.quote_name(Order._meta.db_table)} (")
    assert plain(params) == plain(orm_params)
    # and a column that does not exist is refused, not dropped
    with pytest.raises(TypeError, match="no columns"):
        table.values(**given, shipped=True)
