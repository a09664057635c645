"""The market tells buyers and sellers of each other's steps: after the write commits, once per step,
on the notifications page in both languages, and in the API only to a client that asks by type."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.catalog.testing import first_variant, make_product
from agora.notifications.models import Notification
from agora.notifications.selectors import notifications_for
from agora.notifications.tasks import record_market_notifications
from agora.orders.actions import (
    do_approve_refund,
    do_confirm_receipt,
    do_refuse_refund,
    do_request_refund,
    do_ship_order,
)
from agora.orders.models import OrderLine
from agora.orders.testing import make_address
from agora.payments.actions import do_sandbox_outcome, do_start_payment
from agora.reviews.actions import do_create_review
from agora.shops.testing import make_shop

pytestmark = pytest.mark.django_db(transaction=True)  # notifications are queued after commit


@pytest.fixture
def deal(make_user, api_client):
    """A seller with a product, a buyer with an address, and `checkout()` buying one through the API."""
    seller, buyer = make_user("seller"), make_user("buyer")
    variant = first_variant(make_product(make_shop(seller), price="20.00", stock=10))
    address = make_address(buyer)
    client = api_client(buyer, scope="read:orders write:orders")

    def checkout(key: str | None = None) -> int:
        res = client.post(
            "/api/v1/checkout",
            {"address_id": str(address.id), "items": [{"variant_id": str(variant.id), "quantity": 1}]},
            headers={"Idempotency-Key": key} if key else {},
        )
        assert res.status_code in (200, 201), res.content
        return int(res.json()["orders"][0]["id"])

    return seller, buyer, checkout


def _told(user) -> list[tuple[str, int | None, int]]:
    rows = notifications_for(user, every_type=True).order_by("id")  # as the page reads them
    return list(rows.values_list("type", "order_id", "actor_id"))


def _pay(buyer, order_id: int) -> None:
    do_sandbox_outcome(buyer, do_start_payment(buyer, [order_id]).id, "succeeded")


def _paid_order(deal) -> int:
    seller, buyer, checkout = deal
    order = checkout()
    _pay(buyer, order)
    return order


def test_each_step_tells_the_other_side_once(deal):
    seller, buyer, checkout = deal
    # given an order placed, paid, shipped, a refund asked and refused, then received and reviewed
    order = _paid_order(deal)
    do_ship_order(seller, order, carrier="SF", tracking_number="SF1")
    do_request_refund(buyer, order, reason="too small")
    do_refuse_refund(seller, order, note="worn")
    do_confirm_receipt(buyer, order)
    do_create_review(buyer, OrderLine.objects.get(order_id=order).id, rating=4)
    # and a second order whose refund is approved before it ships
    second = _paid_order(deal)
    do_request_refund(buyer, second, reason="changed my mind")
    do_approve_refund(seller, second)
    # then the seller was told, by the buyer, of each placing, payment, refund request and the review
    assert _told(seller) == [
        ("agora.order_placed", order, buyer.id),
        ("agora.order_paid", order, buyer.id),
        ("agora.refund_requested", order, buyer.id),
        ("agora.review_posted", order, buyer.id),
        ("agora.order_placed", second, buyer.id),
        ("agora.order_paid", second, buyer.id),
        ("agora.refund_requested", second, buyer.id),
    ]
    # and the buyer, by the seller, of the shipping and of each refund decision
    assert _told(buyer) == [
        ("agora.order_shipped", order, seller.id),
        ("agora.refund_refused", order, seller.id),
        ("agora.refund_approved", second, seller.id),
    ]


def test_the_task_run_twice_makes_one_notification(deal):
    seller, buyer, checkout = deal
    order = checkout()
    _told(seller)
    row = Notification.objects.get(recipient=seller)
    # when the task that made it runs again with the same ids (a retry, a second worker)
    for _ in range(2):
        record_market_notifications(row.type, [[seller.id, buyer.id, order, row.source_id]])
    # then there is still one
    assert _told(seller) == [("agora.order_placed", order, buyer.id)]
    # and a checkout replayed with its Idempotency-Key tells nobody again
    first = checkout(key="k-1")
    assert checkout(key="k-1") == first
    assert [t for t, o, _ in _told(seller) if o == first] == ["agora.order_placed"]


def test_the_api_lists_market_types_only_to_a_client_that_asks_for_them(deal, api_client):
    seller, buyer, checkout = deal
    order = _paid_order(deal)
    client = api_client(seller, scope="read:notifications")
    # a Mastodon client (no types[], or only Mastodon's) sees nothing it cannot know
    assert client.get("/api/v1/notifications").json() == []
    assert client.get("/api/v1/notifications?exclude_types[]=follow").json() == []
    assert client.get("/api/v1/notifications/unread_count").json() == {"count": 0}
    # a client that asks by name gets them, each with the order it is about
    body = client.get("/api/v1/notifications?types[]=agora.order_paid&types[]=agora.order_placed").json()
    assert [n["type"] for n in body] == ["agora.order_paid", "agora.order_placed"]
    assert body[0]["account"]["id"] == str(buyer.id) and body[0]["status"] is None
    assert body[0]["order"]["id"] == str(order) and body[0]["order"]["url"].endswith(
        f"/market/orders/{order}"
    )
    assert client.get("/api/v1/notifications?types[]=agora.order_paid").json()[0]["id"] == body[0]["id"]
    assert client.get("/api/v1/notifications/unread_count?types[]=agora.order_paid").json() == {"count": 1}
    # and one fetched by its id is shown whatever its type
    assert client.get(f"/api/v1/notifications/{body[1]['id']}").json()["type"] == "agora.order_placed"


@pytest.mark.parametrize(
    "language, said, order_word",
    [("en", "paid for an order from your shop", "Order"), ("zh-hans", "为你店铺的订单付了款", "订单")],
)
def test_the_page_shows_them_with_a_link_to_the_order(deal, language, said, order_word):
    seller, buyer, checkout = deal
    order = _paid_order(deal)
    web = Client(headers={"Accept-Language": language})
    web.force_login(seller)
    page = web.get("/notifications").content.decode()
    assert said in page
    assert f'href="/market/orders/{order}"' in page and f"{order_word} {order}" in page
    # both of the seller's are listed: Agora's own page knows every type
    assert page.count('data-type="agora.') == 2
