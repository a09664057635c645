"""The market's other POSTs that move stock or money (cancel returns stock; confirm receipt, refund
approval release or split the escrow) honour Idempotency-Key like every API POST (agora/api/api.py
`_idempotent`): a retry gets the first response; with no response stored (the web process died), the
order's state machine refuses a second move, so nothing moves twice."""

from __future__ import annotations

import pytest

from agora.catalog.models import Variant
from agora.catalog.testing import first_variant, make_product
from agora.core.models import IdempotencyRecord
from agora.orders.checkout import Wanted, do_checkout
from agora.orders.testing import make_address
from agora.shops.testing import make_shop

pytestmark = pytest.mark.django_db


def test_a_cancel_retried_with_its_key_returns_the_stock_once(make_user, api_client):
    buyer = make_user("buyer")
    product = make_product(make_shop(make_user("seller")), stock=5)
    variant = first_variant(product)
    order = do_checkout(buyer, address_id=make_address(buyer).id, items=[Wanted(variant.id, 2)])[0]
    client = api_client(buyer, scope="read:orders write:orders")
    path = f"/api/v1/orders/{order.id}/cancel"
    first = client.post(path, {}, headers={"Idempotency-Key": "cancel-1"})
    assert first.status_code == 200 and Variant.objects.get(id=variant.id).stock == 5
    again = client.post(path, {}, headers={"Idempotency-Key": "cancel-1"})
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    # the response lost with its process: the state machine refuses the second cancel
    IdempotencyRecord.objects.all().delete()
    late = client.post(path, {}, headers={"Idempotency-Key": "cancel-1"})
    assert late.status_code == 409 and late.json()["code"] == "illegal_transition"
    assert Variant.objects.get(id=variant.id).stock == 5
