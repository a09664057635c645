"""Checkout's fast path (agora/orders/fastpath.py) and its plain-ORM twin (agora/orders/checkout.py)
do the same thing: one scenario run over each gives the same responses, the same rows, the same
stock, cart and ledger (ids numbered by first appearance, times masked)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.db import transaction

from agora.cart.models import CartItem
from agora.catalog.models import Variant
from agora.catalog.testing import first_variant, make_product
from agora.core.testing import same_shape
from agora.orders.actions import do_confirm_receipt, do_ship_order
from agora.orders.models import Checkout, Order, OrderEvent, OrderLine
from agora.orders.testing import make_address
from agora.payments.actions import do_sandbox_outcome, do_start_payment
from agora.payments.models import LedgerEntry
from agora.shops.testing import make_shop
from agora.social.actions import do_create_status

pytestmark = pytest.mark.django_db


class _Done(Exception):
    def __init__(self, result: dict) -> None:
        self.result = result


def _scenario(make_user, api_client) -> dict:
    seller, seller2, buyer = make_user("seller"), make_user("seller2"), make_user("buyer")
    shop = make_shop(seller, shipping_fee="8.00", free_shipping_threshold="100.00")
    product = make_product(shop, price="30.00", stock=5, variants=2)
    other = make_product(make_shop(seller2), price="120.00", stock=3)
    own = make_product(make_shop(buyer), price="1.00")
    address = make_address(buyer)
    stranger_address = make_address(make_user("stranger"))
    client = api_client(buyer, scope="read:orders write:orders")
    v1, v2 = product.variants.order_by("id")
    v3 = first_variant(other)
    # posts the purchases come from: one the buyer may see, one they may not
    post = do_create_status(seller, "new tray")
    hidden = do_create_status(seller2, "just for @seller", visibility="direct")
    sources = {v1.id: post.id, v3.id: hidden.id}

    def checkout(items, address_id=address.id, **headers):
        body = {
            "address_id": str(address_id),
            "items": [
                {"variant_id": str(v), "quantity": q}
                | ({"source_status_id": str(sources[v])} if v in sources else {})
                for v, q in items
            ],
        }
        res = client.post("/api/v1/checkout", body, headers=headers)
        return res.status_code, res.json()

    answers = [
        checkout([(v1.id, 2), (v3.id, 1), (v2.id, 1)], **{"Idempotency-Key": "k-1"}),
        checkout([(v1.id, 2), (v3.id, 1), (v2.id, 1)], **{"Idempotency-Key": "k-1"}),  # replayed
        checkout([(v1.id, 4)]),  # 3 left: out of stock
        checkout([(v1.id, 1), (10**15, 1)]),  # unavailable
        checkout([(first_variant(own).id, 1)]),  # own shop
        checkout([(v1.id, 1)], address_id=stranger_address.id),  # someone else's address
        checkout([(v1.id, 1)] * 51),  # too many items
        checkout([(v1.id, 3)]),  # the last three
    ]
    CartItem.objects.create(user=buyer, variant=v2, quantity=2, price_seen=v2.price, source_status_id=post.id)
    res = client.post("/api/v1/checkout", {"address_id": str(address.id), "from_cart": True})
    answers.append((res.status_code, res.json()))
    # the first order paid, shipped and received: the ledger follows
    first = Order.objects.filter(buyer=buyer).order_by("id").first()
    payment = do_start_payment(buyer, [first.id])
    do_sandbox_outcome(buyer, payment.id, "succeeded")
    do_ship_order(seller, first.id, carrier="SF", tracking_number="SF1")
    do_confirm_receipt(buyer, first.id)
    return {
        "answers": answers,
        "orders": list(Order.objects.filter(buyer=buyer).order_by("id").values()),
        "lines": list(OrderLine.objects.filter(order__buyer=buyer).order_by("order_id", "id").values()),
        "events": list(OrderEvent.objects.filter(order__buyer=buyer).order_by("order_id", "id").values()),
        "keys": list(Checkout.objects.filter(buyer=buyer).values()),
        "stock": list(
            Variant.objects.filter(product__shop__owner__in=[seller, seller2])
            .order_by("id")
            .values_list("stock", flat=True)
        ),
        "cart": list(CartItem.objects.filter(user=buyer).values()),
        "ledger": list(LedgerEntry.objects.order_by("id").values("account", "amount", "kind", "order_id")),
        "post": post.id,
    }


def _run(settings, make_user, api_client, *, fast: bool) -> dict:
    settings.AGORA = replace(settings.AGORA, fast_paths=fast)
    try:
        with transaction.atomic():  # rolled back: the other run makes the same rows again
            raise _Done(_scenario(make_user, api_client))
    except _Done as done:
        return done.result


def test_fast_and_orm_checkout_do_the_same(make_user, api_client, settings):
    fast = _run(settings, make_user, api_client, fast=True)
    orm = _run(settings, make_user, api_client, fast=False)
    assert [status for status, _ in fast["answers"]] == [201, 201, 409, 409, 422, 404, 422, 201, 201]
    # the visible post is on its lines (from items and from the cart), the hidden one on none
    sourced = [(ln["variant_id"], ln["source_status_id"]) for ln in fast["lines"]]
    assert {s for _v, s in sourced} == {fast["post"], None}
    assert sum(1 for _v, s in sourced if s) == 3  # v1 of the first checkout, the last three, the cart's
    fast, orm = same_shape(fast), same_shape(orm)
    for part in fast:
        assert fast[part] == orm[part], part
