"""The seller's product editor changes stock by what the seller typed, not to it (no lost update)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from agora.catalog.models import Variant
from agora.catalog.testing import first_variant, make_product
from agora.payments.testing import buy
from agora.shops.testing import make_shop

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _read_form(web: Client, product_id: int) -> dict[str, list[str]]:
    """The editor's fields as the browser would post them back unchanged (first row: the variant)."""
    page = web.get(f"/market/seller/products/{product_id}").content.decode()
    fields: dict[str, list[str]] = {"title": [], "description": [""], "category": [""], "listed": ["on"]}
    for name, value in re.findall(r'<input (?:type="hidden" )?name="(\w+)" value="([^"]*)"', page):
        fields.setdefault(name, []).append(value)
    return fields


@pytest.fixture
def market(make_user):
    seller = make_user("seller")
    product = make_product(make_shop(seller), stock=10, price="20.00")
    return seller, product, first_variant(product)


def test_a_checkout_between_reading_and_saving_the_form_is_not_lost(market, make_user):
    seller, product, variant = market
    web = _client(seller)
    # given the seller opened the editor while 10 were in stock
    form = _read_form(web, product.id)
    assert form["variant_id"][0] == str(variant.id) and form["stock_shown"][0] == "10"
    # when a buyer reserves 3 before the seller saves a count of 15 (5 more than shown)
    buy(make_user("buyer"), variant, 3)
    form["stock"][0] = "15"
    res = web.post(f"/market/seller/products/{product.id}", form)
    # then the 3 reserved units stay reserved: 10 - 3 + 5
    assert res.status_code == 302
    assert Variant.objects.get(id=variant.id).stock == 12


def test_saving_other_fields_leaves_stock_that_checkouts_took(market, make_user):
    seller, product, variant = market
    web = _client(seller)
    form = _read_form(web, product.id)
    buy(make_user("buyer"), variant, 4)
    # when the seller changes only the price and saves the count as shown
    form["price"][0] = "25.00"
    assert web.post(f"/market/seller/products/{product.id}", form).status_code == 302
    # then the price changed and the stock is what the checkout left
    v = Variant.objects.get(id=variant.id)
    assert (v.stock, str(v.price)) == (6, "25.00")


def test_a_change_below_zero_is_a_form_error_and_nothing_is_saved(market, make_user):
    seller, product, variant = market
    web = _client(seller)
    form = _read_form(web, product.id)
    # given buyers took 8 of the 10 shown; the seller lowers the shown 10 to 5 (-5) and renames it
    buy(make_user("buyer"), variant, 8)
    form["stock"][0], form["title"] = "5", ["Renamed"]
    res = web.post(f"/market/seller/products/{product.id}", form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    # then the page explains, in the reader's language, and the product is as before
    page = res.content.decode()
    assert res.status_code == 200 and "SKU-0 的库存已变化：现有 2 件，按 -5 调整后将为 -3 件" in page
    v = Variant.objects.get(id=variant.id)
    assert (v.stock, v.product.title) == (2, "T-shirt")
    # and the editor now shows the current count to work from
    assert 'name="stock_shown" value="2"' in page


def test_a_form_without_the_shown_count_sets_stock_and_garbage_is_refused(market):
    seller, product, variant = market
    web = _client(seller)
    form = _read_form(web, product.id)
    del form["stock_shown"]
    form["stock"][0] = "7"
    assert web.post(f"/market/seller/products/{product.id}", form).status_code == 302
    assert Variant.objects.get(id=variant.id).stock == 7
    form["stock_shown"] = ["seven", ""]
    res = web.post(f"/market/seller/products/{product.id}", form)
    assert res.status_code == 200 and Variant.objects.get(id=variant.id).stock == 7
