from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agora.catalog.models import Product, Variant
from agora.catalog.testing import first_variant, make_product
from agora.orders.models import Order, OrderEvent
from agora.orders.sweep import auto_confirm_orders
from agora.payments.models import Account
from agora.payments.selectors import balance, shop_balances
from agora.payments.testing import assert_ledger_balances, buy
from agora.shops.testing import make_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(make_user, api_client):
    seller, buyer = make_user("seller"), make_user("buyer")
    shop = make_shop(seller, shipping_fee="5.00")
    product = make_product(shop, price="20.00", stock=10)
    return {
        "seller": seller,
        "buyer": buyer,
        "shop": shop,
        "variant": first_variant(product),
        "as_buyer": api_client(buyer, scope="read:orders write:orders"),
        "as_seller": api_client(seller, scope="read:shop write:shop"),
    }


def test_happy_path_releases_escrow_to_the_shop(deal):
    # given a paid order: money is held, not yet the shop's
    order = buy(deal["buyer"], deal["variant"], 2, pay=True)
    assert order.status == "paid" and order.total == Decimal("45.00")
    assert shop_balances(deal["shop"]) == {"available": Decimal("0"), "held": Decimal("45.00")}
    assert_ledger_balances()
    # when the seller ships and the buyer confirms receipt
    res = deal["as_seller"].post(
        f"/api/v1/orders/{order.id}/ship", {"carrier": "SF", "tracking_number": "SF1"}
    )
    assert res.status_code == 200 and res.json()["status"] == "shipped"
    assert_ledger_balances()
    res = deal["as_buyer"].post(f"/api/v1/orders/{order.id}/confirm_receipt")
    # then the money is released and every step left an audit row
    assert res.json()["status"] == "completed"
    assert [h["event"] for h in res.json()["history"]] == ["create", "pay", "ship", "confirm_receipt"]
    assert shop_balances(deal["shop"]) == {"available": Decimal("45.00"), "held": Decimal("0")}
    assert Product.objects.get(id=deal["variant"].product_id).sales_count == 2
    assert_ledger_balances()


def test_illegal_transitions_are_409(deal):
    order = buy(deal["buyer"], deal["variant"], 1)
    res = deal["as_seller"].post(f"/api/v1/orders/{order.id}/ship", {"carrier": "SF", "tracking_number": "1"})
    assert res.status_code == 409 and res.json()["code"] == "illegal_transition"
    assert "awaiting payment" in res.json()["error"]
    res = deal["as_buyer"].post(f"/api/v1/orders/{order.id}/confirm_receipt")
    assert res.status_code == 409
    assert deal["as_buyer"].post(f"/api/v1/orders/{order.id}/cancel").json()["status"] == "cancelled"
    assert deal["as_buyer"].post(f"/api/v1/orders/{order.id}/cancel").status_code == 409
    assert Variant.objects.get(id=deal["variant"].id).stock == 10
    assert OrderEvent.objects.filter(order=order).count() == 2


def test_buyer_cannot_ship_and_seller_cannot_confirm(deal):
    order = buy(deal["buyer"], deal["variant"], 1, pay=True)
    as_buyer_with_shop_scope = deal["as_buyer"]
    res = as_buyer_with_shop_scope.post(
        f"/api/v1/orders/{order.id}/ship", {"carrier": "x", "tracking_number": "y"}
    )
    assert res.status_code == 403


def test_only_buyer_seller_and_staff_see_an_order(deal, make_user, api_client):
    order = buy(deal["buyer"], deal["variant"], 1)
    stranger = api_client(make_user(), scope="read:orders write:orders read:shop write:shop")
    staff = api_client(make_user(is_staff=True), scope="read:orders")
    assert stranger.get(f"/api/v1/orders/{order.id}").status_code == 404
    assert stranger.post(f"/api/v1/orders/{order.id}/cancel").status_code == 404
    assert stranger.post(f"/api/v1/orders/{order.id}/payments", {}).status_code == 404
    assert deal["as_buyer"].get(f"/api/v1/orders/{order.id}").status_code == 200
    seller_reader = api_client(deal["seller"], scope="read:orders")
    assert seller_reader.get(f"/api/v1/orders/{order.id}").status_code == 200
    assert staff.get(f"/api/v1/orders/{order.id}").status_code == 200
    assert deal["as_seller"].get(f"/api/v1/shops/{deal['shop'].id}/orders").json()[0]["id"] == str(order.id)
    assert stranger.get(f"/api/v1/shops/{deal['shop'].id}/orders").status_code == 403
    seller_app = api_client(deal["seller"], scope="read:shop")
    assert seller_app.get(f"/api/v1/shops/{deal['shop'].id}/orders/{order.id}").json()["id"] == str(order.id)
    assert stranger.get(f"/api/v1/shops/{deal['shop'].id}/orders/{order.id}").status_code == 403


def test_scopes_are_required(deal, api_client):
    order = buy(deal["buyer"], deal["variant"], 1)
    social_only = api_client(deal["buyer"], scope="read write follow")
    assert social_only.get(f"/api/v1/orders/{order.id}").status_code == 403
    assert social_only.get("/api/v1/orders").json()["code"] == "insufficient_scope"


def test_full_refund_before_shipping_returns_money_and_stock(deal):
    order = buy(deal["buyer"], deal["variant"], 3, pay=True)
    res = deal["as_buyer"].post(f"/api/v1/orders/{order.id}/refund", {"reason": "Changed my mind"})
    assert res.json()["status"] == "refund_requested" and res.json()["refund"]["amount"] == "65.00"
    assert_ledger_balances()
    res = deal["as_seller"].post(f"/api/v1/orders/{order.id}/refund/approve")
    assert res.json()["status"] == "refunded"
    assert balance(Account.GATEWAY) == Decimal("0")  # all of it went back out
    assert shop_balances(deal["shop"]) == {"available": Decimal("0"), "held": Decimal("0")}
    assert Variant.objects.get(id=deal["variant"].id).stock == 10
    assert_ledger_balances()


def test_partial_refund_after_shipping_splits_the_escrow(deal):
    order = buy(deal["buyer"], deal["variant"], 1, pay=True)
    deal["as_seller"].post(f"/api/v1/orders/{order.id}/ship", {"carrier": "SF", "tracking_number": "2"})
    too_much = deal["as_buyer"].post(
        f"/api/v1/orders/{order.id}/refund", {"reason": "torn", "amount": "99.00"}
    )
    assert too_much.status_code == 422
    deal["as_buyer"].post(f"/api/v1/orders/{order.id}/refund", {"reason": "torn", "amount": "10.00"})
    deal["as_seller"].post(f"/api/v1/orders/{order.id}/refund/approve")
    assert shop_balances(deal["shop"])["available"] == Decimal("15.00")
    assert Variant.objects.get(id=deal["variant"].id).stock == 9  # shipped goods are not restocked
    assert_ledger_balances()


def test_refused_refund_then_auto_confirm(deal):
    order = buy(deal["buyer"], deal["variant"], 1, pay=True)
    deal["as_seller"].post(f"/api/v1/orders/{order.id}/ship", {"carrier": "SF", "tracking_number": "3"})
    deal["as_buyer"].post(f"/api/v1/orders/{order.id}/refund", {"reason": "late"})
    res = deal["as_seller"].post(f"/api/v1/orders/{order.id}/refund/refuse", {"note": "on time"})
    assert res.json()["status"] == "refund_refused"
    assert_ledger_balances()
    Order.objects.filter(id=order.id).update(auto_confirm_at=timezone.now() - timedelta(seconds=1))
    assert auto_confirm_orders() == 1 and auto_confirm_orders() == 0
    assert Order.objects.get(id=order.id).status == "completed"
    assert shop_balances(deal["shop"])["available"] == Decimal("25.00")
    assert_ledger_balances()


def test_orders_list_paginates(deal):
    for _ in range(3):
        buy(deal["buyer"], deal["variant"], 1)
    res = deal["as_buyer"].get("/api/v1/orders?limit=2")
    assert len(res.json()) == 2 and 'rel="next"' in res["Link"]
    res2 = deal["as_buyer"].get(f"/api/v1/orders?limit=2&max_id={res.json()[-1]['id']}")
    assert len(res2.json()) == 1
