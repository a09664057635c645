"""PATCH /api/v1/products/:id: `stock` sets the count, `stock_delta` changes it atomically."""

from __future__ import annotations

import pytest

from agora.catalog.models import Variant
from agora.catalog.testing import first_variant, make_product
from agora.payments.testing import buy
from agora.shops.testing import make_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(make_user, api_client):
    seller = make_user("seller")
    product = make_product(make_shop(seller), stock=10)
    return product, first_variant(product), api_client(seller, scope="write:shop")


def _patch(api, product, **variant):
    return api.patch(f"/api/v1/products/{product.id}", {"variants": [variant]})


def test_stock_delta_keeps_units_a_checkout_reserved_after_the_app_read_the_count(market, make_user):
    product, variant, api = market
    # given a seller app read 10 in stock, then a buyer reserved 3
    assert api.get(f"/api/v1/products/{product.id}").json()["variants"][0]["stock"] == 10
    buy(make_user("buyer"), variant, 3)
    # when the app adds the 5 it received
    res = _patch(api, product, id=str(variant.id), stock_delta=5)
    # then the answer and the row both count 10 - 3 + 5
    assert res.status_code == 200, res.content
    assert res.json()["variants"][0]["stock"] == 12 == Variant.objects.get(id=variant.id).stock


def test_stock_delta_below_zero_is_409_stock_conflict_and_nothing_changes(market, make_user):
    product, variant, api = market
    buy(make_user("buyer"), variant, 8)
    res = api.patch(
        f"/api/v1/products/{product.id}",
        {"title": "Renamed", "variants": [{"id": str(variant.id), "price": "99.00", "stock_delta": -5}]},
    )
    assert res.status_code == 409
    assert res.json()["code"] == "stock_conflict" and res.json()["stock"] == 2
    v = Variant.objects.select_related("product").get(id=variant.id)
    assert (v.stock, str(v.price), v.product.title) == (2, "10.00", "T-shirt")


def test_stock_sets_the_count_absolutely(market, make_user):
    product, variant, api = market
    buy(make_user("buyer"), variant, 3)
    assert _patch(api, product, id=str(variant.id), stock=4).status_code == 200
    assert Variant.objects.get(id=variant.id).stock == 4


@pytest.mark.parametrize(
    "change",
    [
        {"stock": 4, "stock_delta": 1},  # one or the other
        {"stock_delta": 1_000_001},
        {"stock_delta": -1_000_001},
    ],
)
def test_bad_stock_changes_are_422(market, change):
    product, variant, api = market
    res = _patch(api, product, id=str(variant.id), **change)
    assert res.status_code == 422 and res.json()["code"] in ("invalid_stock", "validation_failed")
    assert Variant.objects.get(id=variant.id).stock == 10


def test_a_new_variant_takes_stock_not_stock_delta(market):
    product, _variant, api = market
    res = _patch(api, product, sku="NEW", price="1.00", stock_delta=3)
    assert res.status_code == 422 and res.json()["code"] == "invalid_stock"
    assert not Variant.objects.filter(sku="NEW").exists()
