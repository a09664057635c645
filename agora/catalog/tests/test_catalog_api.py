from __future__ import annotations

import pytest

from agora.catalog.models import Category, Variant
from agora.catalog.testing import first_variant, make_product
from agora.orders.models import OrderLine
from agora.payments.testing import buy
from agora.shops.testing import make_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller_client(make_user, api_client):
    seller = make_user("seller")
    return seller, make_shop(seller), api_client(seller, scope="read:shop write:shop")


def test_categories_are_seeded_and_public(client):
    res = client.get("/api/v1/categories")
    assert res.status_code == 200
    top = {c["slug"]: c for c in res.json()}
    assert "apparel" in top and any(c["slug"] == "shoes" for c in top["apparel"]["children"])


def test_create_product_with_variants_and_decimal_prices(seller_client, client):
    seller, shop, api = seller_client
    res = api.post(
        f"/api/v1/shops/{shop.id}/products",
        {
            "title": "Silk dress",
            "category": "womens-clothing",
            "variants": [
                {"sku": "D-R-M", "options": {"颜色": "红", "size": "M"}, "price": "129.00", "stock": 50},
                {"sku": "D-B-L", "options": {"颜色": "蓝", "size": "L"}, "price": "139.50", "stock": 0},
            ],
        },
    )
    assert res.status_code == 201, res.content
    body = res.json()
    assert (
        body["price"] == "129.00"
        and body["currency"] == "CNY"
        and body["category"]["slug"] == "womens-clothing"
    )
    assert [v["options"]["颜色"] for v in body["variants"]] == ["红", "蓝"]
    assert body["variants"][1]["available"] is False
    assert client.get(f"/api/v1/products/{body['id']}").json()["title"] == "Silk dress"


@pytest.mark.parametrize(
    "variant, code",
    [
        ({"sku": "A", "price": 12.5, "stock": 1}, "validation_failed"),  # floats are refused by the schema
        ({"sku": "A", "price": "1.234", "stock": 1}, "invalid_money"),
        ({"sku": "A", "price": "-1", "stock": 1}, "invalid_money"),
        ({"sku": "A", "price": "1.00", "stock": -1}, "invalid_stock"),
        ({"sku": "", "price": "1.00", "stock": 1}, "invalid_sku"),
    ],
)
def test_bad_variants_are_422(seller_client, variant, code):
    seller, shop, api = seller_client
    res = api.post(f"/api/v1/shops/{shop.id}/products", {"title": "x", "variants": [variant]})
    assert res.status_code == 422 and res.json()["code"] == code


def test_only_the_owner_edits(seller_client, make_user, api_client):
    seller, shop, api = seller_client
    product = make_product(shop)
    other = api_client(make_user(), scope="write:shop")
    assert (
        other.post(
            f"/api/v1/shops/{shop.id}/products",
            {"title": "x", "variants": [{"sku": "a", "price": "1.00", "stock": 1}]},
        ).status_code
        == 403
    )
    assert other.patch(f"/api/v1/products/{product.id}", {"title": "mine"}).status_code == 403
    assert other.delete(f"/api/v1/products/{product.id}").status_code == 403


def test_patch_updates_variants_and_delete_delists_keeping_orders(seller_client, make_user, client):
    seller, shop, api = seller_client
    product = make_product(shop, price="10.00")
    v = first_variant(product)
    order = buy(make_user("buyer"), v, 1)
    res = api.patch(
        f"/api/v1/products/{product.id}",
        {
            "title": "New",
            "variants": [
                {"id": str(v.id), "price": "12.00", "stock": 7},
                {"sku": "XL", "price": "15.00", "stock": 1},
            ],
        },
    )
    assert res.status_code == 200 and res.json()["title"] == "New" and len(res.json()["variants"]) == 2
    assert Variant.objects.get(id=v.id).stock == 7
    assert api.delete(f"/api/v1/products/{product.id}").status_code == 200
    assert client.get(f"/api/v1/products/{product.id}").status_code == 404
    assert all(p["id"] != str(product.id) for p in client.get("/api/v1/products").json())
    line = OrderLine.objects.get(order=order)
    assert line.title == "T-shirt" and str(line.unit_price) == "10.00"  # the snapshot stays


def test_product_list_filters_sorts_and_paginates(seller_client, client, django_assert_max_num_queries):
    seller, shop, api = seller_client
    cat = Category.objects.get(slug="tea")
    for i, price in enumerate(["30.00", "10.00", "20.00"]):
        make_product(shop, price=price, title=f"Longjing {i}", category=str(cat.id))
    make_product(shop, price="5.00", title="Mug")
    with django_assert_max_num_queries(5):
        res = client.get("/api/v1/products", {"category": "food", "sort": "price_asc"})
    assert [p["price"] for p in res.json()] == ["10.00", "20.00", "30.00"]
    assert [p["title"] for p in client.get("/api/v1/products", {"q": "mug"}).json()] == ["Mug"]
    page = client.get("/api/v1/products", {"shop_id": str(shop.id), "limit": 2})
    assert len(page.json()) == 2 and "max_id=" in page["Link"]
    assert client.get("/api/v1/products", {"category": "nope"}).status_code == 422
