from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agora.catalog.models import Variant
from agora.catalog.testing import first_variant, make_product
from agora.orders.models import Checkout, Order, OrderEvent, OrderLine
from agora.orders.sweep import expire_overdue_orders
from agora.orders.testing import make_address
from agora.payments.testing import assert_ledger_balances
from agora.shops.testing import make_shop

# Every test here runs over checkout's fast path and its plain-ORM twin (AGORA_FAST_PATHS).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("both_paths")]


def test_checkout_splits_by_shop_and_prices_on_server(market, make_user):
    # given two shops' products
    seller, buyer, shop, product, address, client = market
    other = make_product(make_shop(make_user("seller2")), price="120.00", stock=3)
    v1, v2 = first_variant(product), first_variant(other)
    # when the buyer checks out both, sending no prices
    res = client.post(
        "/api/v1/checkout",
        {
            "address_id": str(address.id),
            "items": [{"variant_id": str(v1.id), "quantity": 2}, {"variant_id": str(v2.id), "quantity": 1}],
        },
    )
    # then one order per shop, priced by the server, with shipping rules applied
    assert res.status_code == 201, res.content
    orders = {o["shop"]["id"]: o for o in res.json()["orders"]}
    assert set(orders) == {str(shop.id), str(other.shop.id)}
    first = orders[str(shop.id)]
    assert first["subtotal"] == "60.00" and first["shipping"] == "8.00" and first["total"] == "68.00"
    assert first["lines"][0]["unit_price"] == "30.00" and first["lines"][0]["line_total"] == "60.00"
    assert first["status"] == "awaiting_payment" and first["currency"] == "CNY" and first["pay_by"]
    assert orders[str(other.shop.id)]["shipping"] == "0.00"  # over the free-shipping threshold
    assert Variant.objects.get(id=v1.id).stock == 3 and Variant.objects.get(id=v2.id).stock == 2


def test_out_of_stock_names_the_variant_and_writes_nothing(market):
    seller, buyer, shop, product, address, client = market
    v1, v2 = product.variants.order_by("id")
    res = client.post(
        "/api/v1/checkout",
        {
            "address_id": str(address.id),
            "items": [{"variant_id": str(v1.id), "quantity": 1}, {"variant_id": str(v2.id), "quantity": 6}],
        },
        headers={"Idempotency-Key": "short-1"},
    )
    assert res.status_code == 409
    body = res.json()
    assert body["code"] == "out_of_stock" and body["variant_id"] == str(v2.id) and body["available"] == 5
    assert Order.objects.count() == 0 and OrderLine.objects.count() == 0 and Checkout.objects.count() == 0
    assert Variant.objects.get(id=v1.id).stock == 5  # the first line's reservation was rolled back


def test_same_idempotency_key_creates_one_set_of_orders(market):
    seller, buyer, shop, product, address, client = market
    v = first_variant(product)
    payload = {"address_id": str(address.id), "items": [{"variant_id": str(v.id), "quantity": 1}]}
    first = client.post("/api/v1/checkout", payload, headers={"Idempotency-Key": "abc-1"})
    again = client.post("/api/v1/checkout", payload, headers={"Idempotency-Key": "abc-1"})
    other = client.post("/api/v1/checkout", payload, headers={"Idempotency-Key": "abc-2"})
    assert first.status_code in (200, 201) and again.status_code in (200, 201)
    assert [o["id"] for o in first.json()["orders"]] == [o["id"] for o in again.json()["orders"]]
    assert other.json()["orders"][0]["id"] != first.json()["orders"][0]["id"]
    assert Order.objects.count() == 2 and Variant.objects.get(id=v.id).stock == 3


def test_checkout_from_cart_empties_the_cart(market):
    seller, buyer, shop, product, address, client = market
    v = first_variant(product)
    assert client.post("/api/v1/cart/items", {"variant_id": str(v.id), "quantity": 2}).status_code == 201
    res = client.post("/api/v1/checkout", {"address_id": str(address.id), "from_cart": True})
    assert res.status_code == 201
    assert res.json()["orders"][0]["lines"][0]["quantity"] == 2
    assert client.get("/api/v1/cart").json()["count"] == 0


def test_someone_elses_address_is_not_found(market, make_user):
    seller, buyer, shop, product, address, client = market
    stranger_address = make_address(make_user())
    res = client.post(
        "/api/v1/checkout",
        {"address_id": str(stranger_address.id), "items": [{"variant_id": str(first_variant(product).id)}]},
    )
    assert res.status_code == 404 and Order.objects.count() == 0


def test_unpaid_orders_expire_and_return_stock(market):
    seller, buyer, shop, product, address, client = market
    v = first_variant(product)
    res = client.post(
        "/api/v1/checkout",
        {"address_id": str(address.id), "items": [{"variant_id": str(v.id), "quantity": 4}]},
    )
    order_id = res.json()["orders"][0]["id"]
    assert Variant.objects.get(id=v.id).stock == 1
    # when the pay-by time passes, the sweep cancels it
    Order.objects.filter(id=order_id).update(pay_by=timezone.now() - timedelta(seconds=1))
    assert expire_overdue_orders() == 1
    assert expire_overdue_orders() == 0  # idempotent
    assert Order.objects.get(id=order_id).status == "cancelled"
    assert Variant.objects.get(id=v.id).stock == 5
    assert OrderEvent.objects.filter(order_id=order_id, event="expire").count() == 1
    assert_ledger_balances()


def test_overdue_order_expires_lazily_when_read(market):
    seller, buyer, shop, product, address, client = market
    v = first_variant(product)
    order_id = client.post(
        "/api/v1/checkout", {"address_id": str(address.id), "items": [{"variant_id": str(v.id)}]}
    ).json()["orders"][0]["id"]
    Order.objects.filter(id=order_id).update(pay_by=timezone.now() - timedelta(minutes=1))
    res = client.get(f"/api/v1/orders/{order_id}")
    assert res.json()["status"] == "cancelled" and Variant.objects.get(id=v.id).stock == 5
    pay = client.post(f"/api/v1/orders/{order_id}/payments", {})
    assert pay.status_code == 409 and pay.json()["code"] == "illegal_transition"


def test_checkout_query_count(market, django_assert_max_num_queries):
    seller, buyer, shop, product, address, client = market
    v = first_variant(product)
    client.get("/api/v1/cart")  # warm the token and sweep paths
    with django_assert_max_num_queries(16):
        res = client.post(
            "/api/v1/checkout", {"address_id": str(address.id), "items": [{"variant_id": str(v.id)}]}
        )
    assert res.status_code == 201
    assert Decimal(res.json()["orders"][0]["total"]) == Decimal("38.00")


def test_market_requests_sweep_overdue_orders_at_most_once_a_minute(market):
    # given an overdue order nobody looks at
    from agora.orders import sweep

    seller, buyer, shop, product, address, client = market
    v = first_variant(product)
    order_id = client.post(
        "/api/v1/checkout", {"address_id": str(address.id), "items": [{"variant_id": str(v.id)}]}
    ).json()["orders"][0]["id"]
    Order.objects.filter(id=order_id).update(pay_by=timezone.now() - timedelta(minutes=1))
    sweep._last_check["at"] = 0.0
    # when any market request comes in (here: someone else's order list)
    client.get("/api/v1/cart")
    client.get("/api/v1/orders?status=paid")
    # then the embedded profile cancelled it without a beat process, and returned the stock
    assert Order.objects.get(id=order_id).status == "cancelled"
    assert Variant.objects.get(id=v.id).stock == 5
    # and a second overdue order waits for the next minute's sweep (or for someone to read it)
    again = client.post(
        "/api/v1/checkout", {"address_id": str(address.id), "items": [{"variant_id": str(v.id)}]}
    ).json()["orders"][0]["id"]
    Order.objects.filter(id=again).update(pay_by=timezone.now() - timedelta(minutes=1))
    client.get("/api/v1/orders?status=paid")
    assert Order.objects.get(id=again).status == "awaiting_payment"
