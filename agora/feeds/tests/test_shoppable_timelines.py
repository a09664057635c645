"""Timelines with shoppable posts (issue 14 point 7): a page costs the same queries whether one of its
posts carries products or all of them, on every timeline and on both home paths; the home read's
cached JSON shows a seller's change at once and ages out sales and sell-outs within
AGORA_PRODUCT_CARD_TTL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.catalog.actions import add_sales, do_update_product
from agora.catalog.testing import first_variant, make_product
from agora.feeds.tests.test_home_timeline import clear_hot_cache
from agora.shops.testing import make_shop
from agora.social.actions import do_create_status, do_follow
from agora.social.serializers import _sj_key, _tag_key

PAGE = 20


@pytest.fixture(params=["sql", "redis"])
def store_kind(request, settings, both_paths):
    if request.param == "redis":
        request.getfixturevalue("timeline_redis")
        return "redis"
    settings.AGORA_TIMELINE_REDIS_URL = ""
    return "sql"


@pytest.fixture
def world(active_user, api_client):
    """Two authors with a page of posts each: one post of `few`'s carries a product, every post of
    `many`'s carries 1 to 9; a reader follows each."""
    shop = make_shop(active_user("seller"), name="Tea House")
    products = [make_product(shop, title=f"Tea {i}", price=f"{10 + i}.00") for i in range(9)]
    few, many = active_user("few"), active_user("many")
    readers = {"few": active_user("reader_few"), "many": active_user("reader_many")}
    do_follow(readers["few"], few)
    do_follow(readers["many"], many)
    clients = {name: api_client(user) for name, user in readers.items()}
    for client in clients.values():
        client.get("/api/v1/timelines/home")  # stored timelines, cached reader lists
    for i in range(PAGE):
        ids = [products[0].id] if i == 0 else []
        do_create_status(few, f"few {i} #fewtag", product_ids=ids)
    for i in range(PAGE):
        do_create_status(many, f"many {i} #manytag", product_ids=[p.id for p in products[: i % 9 + 1]])
    return {"few": few, "many": many, "clients": clients, "products": products}


def _count(client, path, params=None) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path, params or {})
    assert r.status_code == 200, r.content
    return len(ctx.captured_queries), r.json()


def test_api_timelines_cost_the_same_queries_whatever_their_product_cards(store_kind, world, api_client):
    few, many = world["few"], world["many"]
    anon = api_client(None)
    cases = {
        "home cold": lambda who: (clear_hot_cache(), _count(world["clients"][who], "/api/v1/timelines/home"))[
            1
        ],
        "home warm": lambda who: (
            _count(world["clients"][who], "/api/v1/timelines/home"),
            _count(world["clients"][who], "/api/v1/timelines/home"),
        )[1],
        "tag": lambda who: _count(anon, f"/api/v1/timelines/tag/{who}tag"),
        "account": lambda who: _count(anon, f"/api/v1/accounts/{world[who].id}/statuses"),
    }
    for name, read in cases.items():
        n_few, page_few = read("few")
        n_many, page_many = read("many")
        # the pages really differ in their cards: one post with one product against 20 with 1 to 9
        assert sum(bool(s["agora_products"]) for s in page_few) == 1, name
        assert sum(len(s["agora_products"]) for s in page_many) == sum(i % 9 + 1 for i in range(PAGE)), name
        assert n_few == n_many, f"{name}: {n_few} queries with 1 shoppable post, {n_many} with {PAGE}"
    # the public timeline: a page of `few`'s posts, then (newer) a page of `many`'s
    n_many, page = _count(anon, "/api/v1/timelines/public", {"limit": PAGE})
    assert all(s["agora_products"] for s in page)
    n_few, page = _count(anon, "/api/v1/timelines/public", {"limit": PAGE, "max_id": page[-1]["id"]})
    assert sum(bool(s["agora_products"]) for s in page) == 1
    assert n_few == n_many
    assert few.id != many.id


def test_a_sellers_change_shows_on_the_cached_home_at_once(store_kind, world):
    # given the reader's home JSON cached with the product's price
    client = world["clients"]["few"]
    product = world["products"][0]
    page = client.get("/api/v1/timelines/home").json()
    assert page[-1]["agora_products"][0]["price"] == "10.00"
    # when the seller reprices it
    v = first_variant(product)
    do_update_product(product.shop.owner, product, variants=[{"id": str(v.id), "price": "8.50"}])
    # then the next read shows the new price (the post's cached JSON was dropped)
    page = client.get("/api/v1/timelines/home").json()
    assert page[-1]["agora_products"][0]["price"] == "8.50"
    assert page[-1]["card"]["description"] == "¥8.50 · Tea House"


def test_sales_age_out_of_the_cached_home_within_the_product_card_ttl(store_kind, world, settings):
    # given the reader's home JSON cached
    if store_kind != "redis":
        pytest.skip("the TTL is read from Redis")
    from agora.core.hotcache import redis_client

    client = world["clients"]["few"]
    page = client.get("/api/v1/timelines/home").json()
    shoppable, plain = int(page[-1]["id"]), int(page[0]["id"])
    # then the shoppable post's entry lives at most AGORA_PRODUCT_CARD_TTL, a plain one longer
    r = redis_client()
    assert r is not None
    assert 0 < r.ttl(_sj_key(shoppable)) <= settings.AGORA.product_card_ttl
    assert r.ttl(_sj_key(plain)) > settings.AGORA.product_card_ttl
    # and a sale (no event) shows once the entry is gone
    add_sales([(world["products"][0].id, 3)])
    r.delete(_sj_key(shoppable), _tag_key(shoppable))  # as when both expire
    assert client.get("/api/v1/timelines/home").json()[-1]["agora_products"][0]["sold_count"] == 3
    assert Decimal(page[-1]["agora_products"][0]["price"]) == Decimal("10.00")
