"""PATCH /api/v1/products/:id with stock_delta honours Idempotency-Key: a retry moves stock once, even
when the web process died before storing the first response; the key with another change is refused."""

from __future__ import annotations

import pytest

from agora.catalog.actions import do_update_product
from agora.catalog.models import StockAdjustment, Variant
from agora.catalog.testing import first_variant, make_product
from agora.core.models import IdempotencyRecord
from agora.shops.testing import make_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(make_user, api_client):
    seller = make_user("seller")
    product = make_product(make_shop(seller), stock=10)
    return seller, product, first_variant(product), api_client(seller, scope="write:shop")


def _patch(api, product, key, **variant):
    return api.patch(
        f"/api/v1/products/{product.id}", {"variants": [variant]}, headers={"Idempotency-Key": key}
    )


def test_a_retry_with_the_same_key_gets_the_first_response_and_moves_stock_once(market):
    seller, product, variant, api = market
    first = _patch(api, product, "add-5", id=str(variant.id), stock_delta=5)
    assert first.status_code == 200 and first.json()["variants"][0]["stock"] == 15
    # when the app retries (its first response was lost)
    again = _patch(api, product, "add-5", id=str(variant.id), stock_delta=5)
    # then the first response, replayed, and 5 units added once
    assert again.status_code == 200 and again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Variant.objects.get(id=variant.id).stock == 15
    # and the change is on record: who added how many
    adjustment = StockAdjustment.objects.get()
    assert adjustment.actor_id == seller.id and adjustment.deltas == {str(variant.id): 5}


def test_a_retry_after_the_web_process_died_moves_stock_once(market):
    # given a change committed by a process that died before storing its response (the middleware's
    # record is gone once its claim is released)
    seller, product, variant, api = market
    assert _patch(api, product, "take-2", id=str(variant.id), stock_delta=-2).status_code == 200
    IdempotencyRecord.objects.all().delete()
    # when the app retries with the key
    again = _patch(api, product, "take-2", id=str(variant.id), stock_delta=-2)
    # then the stock moved once, and the answer is the product as it is
    assert again.status_code == 200 and again.json()["variants"][0]["stock"] == 8
    assert Variant.objects.get(id=variant.id).stock == 8
    assert StockAdjustment.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(market):
    seller, product, variant, api = market
    assert _patch(api, product, "k", id=str(variant.id), stock_delta=5).status_code == 200
    # the response still stored: the middleware refuses another body
    other = _patch(api, product, "k", id=str(variant.id), stock_delta=7)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    # its record gone (the process died): the action refuses it by the key kept with the change
    IdempotencyRecord.objects.all().delete()
    other = _patch(api, product, "k", id=str(variant.id), stock_delta=7)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert Variant.objects.get(id=variant.id).stock == 15


def test_without_a_key_each_request_moves_stock(market):
    seller, product, variant, api = market
    for _ in range(2):
        res = api.patch(
            f"/api/v1/products/{product.id}", {"variants": [{"id": str(variant.id), "stock_delta": 1}]}
        )
        assert res.status_code == 200
    assert Variant.objects.get(id=variant.id).stock == 12 and StockAdjustment.objects.count() == 2


def test_keys_are_per_seller_and_a_key_for_another_product_is_refused(market, make_user):
    seller, product, variant, api = market
    other_product = make_product(product.shop, stock=1)
    change = [{"id": str(variant.id), "stock_delta": 1}]
    do_update_product(seller, product, variants=change, idempotency_key="same")
    with pytest.raises(Exception) as refused:
        do_update_product(
            seller,
            other_product,
            variants=[{"id": str(first_variant(other_product).id), "stock_delta": 1}],
            idempotency_key="same",
        )
    assert getattr(refused.value, "code", "") == "idempotency_key_reused"
    # another seller's same key is theirs
    rival = make_user("rival")
    theirs = make_product(make_shop(rival), stock=1)
    do_update_product(
        rival,
        theirs,
        variants=[{"id": str(first_variant(theirs).id), "stock_delta": 1}],
        idempotency_key="same",
    )
    assert first_variant(theirs).stock == 2 and Variant.objects.get(id=variant.id).stock == 11
