from __future__ import annotations

import pytest

from agora.catalog.models import Product, Variant
from agora.catalog.testing import first_variant, make_product
from agora.shops.testing import make_shop

pytestmark = pytest.mark.django_db


def test_cart_groups_by_shop_and_flags_changes(make_user, api_client):
    buyer = make_user("buyer")
    a = first_variant(make_product(make_shop(make_user("a")), price="10.00", stock=5))
    b = first_variant(make_product(make_shop(make_user("b"), shipping_fee="6.00"), price="20.00", stock=5))
    api = api_client(buyer, scope="read:orders write:orders")
    api.post("/api/v1/cart/items", {"variant_id": str(a.id), "quantity": 2})
    api.post("/api/v1/cart/items", {"variant_id": str(a.id), "quantity": 1})
    api.post("/api/v1/cart/items", {"variant_id": str(b.id)})
    cart = api.get("/api/v1/cart").json()
    assert len(cart["shops"]) == 2 and cart["total"] == "56.00"
    item_a = cart["shops"][0]["items"][0]
    assert item_a["quantity"] == 3
    # when the price changes and the other product is delisted
    Variant.objects.filter(id=a.id).update(price="12.00")
    Product.objects.filter(id=b.product_id).update(is_listed=False)
    cart = api.get("/api/v1/cart").json()
    first, second = cart["shops"][0]["items"][0], cart["shops"][1]["items"][0]
    assert (
        first["price_changed"] is True and first["price_seen"] == "10.00" and first["unit_price"] == "12.00"
    )
    assert second["available"] is False and cart["total"] == "36.00"
    cart = api.patch(f"/api/v1/cart/items/{first['id']}", {"quantity": 1}).json()
    assert cart["shops"][0]["items"][0]["price_changed"] is False
    cart = api.delete(f"/api/v1/cart/items/{second['id']}").json()
    assert cart["count"] == 1
    other = api_client(make_user(), scope="read:orders write:orders")
    assert other.delete(f"/api/v1/cart/items/{first['id']}").status_code == 404
    assert api.post("/api/v1/cart/items", {"variant_id": str(a.id), "quantity": 0}).status_code == 422


def test_addresses_crud_with_one_default(make_user, api_client):
    api = api_client(make_user(), scope="read:orders write:orders")
    data = {"recipient": "Han Meimei", "phone": "139", "city": "Shanghai", "street": "2 Nanjing Rd"}
    first = api.post("/api/v1/addresses", data).json()
    second = api.post("/api/v1/addresses", {**data, "is_default": True}).json()
    assert first["is_default"] is True and second["is_default"] is True
    rows = api.get("/api/v1/addresses").json()
    assert [r["is_default"] for r in rows] == [True, False] and rows[0]["id"] == second["id"]
    assert api.patch(f"/api/v1/addresses/{first['id']}", {"city": "Beijing"}).json()["city"] == "Beijing"
    api.delete(f"/api/v1/addresses/{second['id']}")
    assert api.get("/api/v1/addresses").json()[0]["is_default"] is True
    assert api.post("/api/v1/addresses", {**data, "street": ""}).status_code == 422
