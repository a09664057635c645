"""Crafted market form posts get a message or a 4xx, never a 500; redirects stay on this site."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from agora.catalog.testing import first_variant, make_product
from agora.orders.models import Order
from agora.orders.testing import make_address
from agora.payments.testing import buy
from agora.shops.testing import make_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    seller, buyer = make_user("seller"), make_user("buyer")
    shop = make_shop(seller)
    product = make_product(shop)
    make_address(buyer)
    return seller, buyer, shop, product


def _client(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def test_checkout_with_a_non_numeric_address_is_a_message(market):
    _seller, buyer, _shop, product = market
    # when the checkout form names an address that is not a number
    r = _client(buyer).post(
        "/market/checkout",
        {"address_id": "abc", "variant_id": str(first_variant(product).id), "quantity": "1"},
    )
    # then the page is shown again with an error, and no order is made
    assert r.status_code == 200
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "form",
    [
        {
            "title": "t",
            "sku": ["A", "B"],
            "price": ["1.00"],
            "stock": ["1"],
            "options": [""],
        },  # short columns
        {
            "title": "t",
            "sku": ["A"],
            "price": ["1.00"],
            "stock": ["1"],
            "options": [""],
            "variant_id": ["abc"],
        },
    ],
)
def test_product_editor_with_mismatched_columns_is_a_message(market, form):
    seller, _buyer, _shop, _product = market
    # when the editor's variant columns do not line up (a crafted post)
    r = _client(seller).post("/market/seller/products/new", form)
    # then a message, not a 500
    assert r.status_code in (200, 302)


def test_seller_action_next_cannot_leave_the_site(market):
    seller, buyer, _shop, product = market
    order = buy(buyer, first_variant(product), pay=True)
    for target in ("https://evil.example/", "//evil.example/", "no-such-url-name"):
        r = _client(seller).post(
            f"/market/seller/orders/{order.id}/ship",
            {"carrier": "SF", "tracking_number": "1", "next": target},
        )
        assert r.status_code == 302
        assert r["Location"] == "/market/seller"


def test_review_image_over_the_limit_is_refused_unread(market, settings, monkeypatch):
    import dataclasses

    _seller, buyer, _shop, product = market
    order = buy(buyer, first_variant(product), pay=True)
    settings.AGORA = dataclasses.replace(settings.AGORA, max_image_bytes=1000)
    line = order.lines.first()
    r = _client(buyer).post(
        f"/market/reviews/{line.id}",
        {"rating": "5", "text": "ok", "images": [SimpleUploadedFile("a.png", b"x" * 5000)]},
    )
    assert r.status_code == 302
    assert not line.__class__.objects.filter(id=line.id, review__isnull=False).exists()
