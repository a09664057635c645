"""Product cards on the web (issue 14 point 1): every place a post renders shows its products (picture,
title, live price, shop, sold-out or unavailable, a link to the product page); the product page's
Share opens the compose form with the product attached; a page costs the same queries whatever its
product cards."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agora.catalog.actions import do_delist_product, do_update_product
from agora.catalog.testing import first_variant, make_product
from agora.media.actions import do_upload_media
from agora.shops.testing import make_shop
from agora.social.actions import do_create_status, do_follow
from agora.social.models import Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def shop(active_user):
    return make_shop(active_user("seller"), name="Tea House")


def _product(shop, png, i=0, **fields):
    media = do_upload_media(shop.owner, png())
    return make_product(shop, title=f"Oolong {i}", price=f"{129 + i}.00", media_ids=[media.id], **fields)


def test_every_page_shows_the_product_cards(active_user, shop, png):
    # given alice's post carrying a listed, a sold-out and a delisted product, followed by bob
    alice, bob = active_user("alice"), active_user("bob")
    do_follow(bob, alice)
    listed, sold_out, gone = (_product(shop, png, i) for i in range(3))
    v = first_variant(sold_out)
    do_update_product(shop.owner, sold_out, variants=[{"id": str(v.id), "stock": 0}])
    s = do_create_status(alice, "haul #tea", product_ids=[listed.id, sold_out.id, gone.id])
    do_delist_product(shop.owner, gone)
    web = _client(bob)
    # when each page that shows posts is read
    for path in ("/", "/public", "/tags/tea", "/@alice", "/@alice/posts", f"/@alice/{s.id}"):
        html = web.get(path).content.decode()
        # then the cards show, with picture, title, live price, shop and state, linking to the product
        assert html.count('data-product-id="') == 3, path
        assert f'href="/market/products/{listed.id}"' in html and "Oolong 0" in html, path
        assert "¥129.00" in html and "Tea House" in html and "/media/" in html, path
        assert f'pcard is-soldout" data-product-id="{sold_out.id}"' in html and "Sold out" in html, path
        assert f'pcard is-unavailable" data-product-id="{gone.id}"' in html and "Unavailable" in html, path
        assert "post__products--strip" in html and 'class="pcard__actions"' in html, path


def test_cards_speak_simplified_chinese(active_user, shop, png):
    alice = active_user("alice")
    p = _product(shop, png)
    do_create_status(alice, "haul", product_ids=[p.id])
    do_delist_product(shop.owner, p)
    html = _client().get("/@alice", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "已下架" in html


def test_share_on_the_product_page_composes_a_post_with_it(active_user, shop, png):
    # given a product page read by alice
    alice = active_user("alice")
    p = _product(shop, png)
    web = _client(alice)
    page = web.get(f"/market/products/{p.id}").content.decode()
    # then its Share button opens the compose form with the product
    assert f'href="/?product={p.id}#compose"' in page
    home = web.get(f"/?product={p.id}").content.decode()
    assert f'name="product_ids" value="{p.id}" checked' in home and "Oolong 0" in home
    # when she posts from it (htmx), the post carries the product and the card comes back
    r = web.post("/statuses/new", {"status": "", "product_ids": [str(p.id)]}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "data-product-id=" in r.content.decode()
    assert [link.product_id for link in Status.objects.get().product_links.all()] == [p.id]


def test_share_asks_a_visitor_to_log_in_first(shop, png):
    p = _product(shop, png)
    page = _client().get(f"/market/products/{p.id}").content.decode()
    assert f"/login?next=/%3Fproduct%3D{p.id}" in page


def test_compose_skips_delisted_and_unknown_products_and_refuses_bad_ones(active_user, shop, png):
    alice = active_user("alice")
    p = _product(shop, png)
    do_delist_product(shop.owner, p)
    web = _client(alice)
    assert 'name="product_ids"' not in web.get(f"/?product={p.id}&product=abc&product=42").content.decode()
    r = web.post("/statuses/new", {"status": "x", "product_ids": [str(p.id)]}, headers={"HX-Request": "true"})
    assert r["HX-Retarget"] == "#compose-errors" and "delisted" in r.content.decode()
    assert not Status.objects.exists()


@pytest.mark.parametrize("path", ["/", "/public", "/tags/{tag}", "/@{author}", "/@{author}/{first}"])
def test_pages_cost_the_same_queries_whatever_their_product_cards(path, active_user, shop, png):
    # given two authors with a page of posts each: one of `few`'s carries a product, all of `many`'s
    products = [_product(shop, png, i) for i in range(9)]
    readers = {}
    shown = {}  # the post whose page is read: few's with one product, many's with nine
    oldest_many = 0
    for name in ("few", "many"):
        author = active_user(name)
        readers[name] = active_user(f"reader_{name}")
        do_follow(readers[name], author)
        for i in range(20):
            carried = [p.id for p in products[: i % 9 + 1]] if name == "many" or i == 0 else []
            s = do_create_status(author, f"{name} {i} #{name}tag", product_ids=carried)
            if (name, i) in (("few", 0), ("many", 8)):
                shown[name] = s.id
            if name == "many" and i == 0:
                oldest_many = s.id
    counts = {}
    for name in ("few", "many"):
        web = _client(readers[name])
        url = path.format(tag=f"{name}tag", author=name, first=shown[name])
        if path == "/public":
            url = "/public" if name == "many" else f"/public?max_id={oldest_many}"
        web.get(url)  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            html = web.get(url).content.decode()
        assert html.count('data-product-id="') >= (1 if name == "few" else 9), url
        counts[name] = len(ctx)
    # then a page with one card and a page of cards cost the same
    assert counts["few"] == counts["many"], counts
