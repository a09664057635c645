from __future__ import annotations

import pytest

from agora.catalog.testing import first_variant, make_product
from agora.orders.actions import do_confirm_receipt, do_ship_order
from agora.payments.testing import buy
from agora.shops.testing import make_shop

pytestmark = pytest.mark.django_db


def test_review_after_completion_shows_on_product(make_user, api_client, client):
    seller, buyer = make_user("seller"), make_user("buyer")
    shop = make_shop(seller)
    product = make_product(shop)
    order = buy(buyer, first_variant(product), 1, pay=True)
    line = order.lines.get()
    api = api_client(buyer, scope="read:orders write:orders")
    # not before completion
    early = api.post("/api/v1/reviews", {"line_id": str(line.id), "rating": 5})
    assert early.status_code == 409 and early.json()["code"] == "order_not_completed"
    do_ship_order(seller, order.id, carrier="SF", tracking_number="1")
    do_confirm_receipt(buyer, order.id)
    assert api.post("/api/v1/reviews", {"line_id": str(line.id), "rating": 6}).status_code == 422
    res = api.post("/api/v1/reviews", {"line_id": str(line.id), "rating": 4, "text": "Soft <b>cotton</b>"})
    assert res.status_code == 201
    assert (
        api.post("/api/v1/reviews", {"line_id": str(line.id), "rating": 1}).json()["code"]
        == "already_reviewed"
    )
    other = api_client(make_user(), scope="write:orders")
    assert other.post("/api/v1/reviews", {"line_id": str(line.id), "rating": 1}).status_code == 404
    listing = client.get(f"/api/v1/products/{product.id}/reviews").json()
    assert listing["rating"] == 4.0 and listing["reviews"][0]["text"] == "Soft <b>cotton</b>"
    assert client.get(f"/api/v1/shops/{shop.id}").json()["rating"] == 4.0
