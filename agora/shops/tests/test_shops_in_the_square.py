"""Shops live in the square: a profile shows its owner's shop (badge, Shop tab, `agora_shop` in the
account JSON), the shop page shows the owner's posts and follows the owner, and a seller announces
a product as a post in one step."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.accounts.serializers import absolute
from agora.catalog.testing import make_product
from agora.shops.testing import make_shop
from agora.social.actions import do_create_status
from agora.social.models import Follow, Status

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_profile_shows_its_shop_badge_and_tab(make_user):
    seller = make_user("seller")
    make_user("plain")
    shop = make_shop(seller, name="Tea House")
    make_product(shop, title="Oolong 50g")
    html = _client().get("/@seller").content.decode()
    assert 'data-testid="shop-badge"' in html and f'href="/shop/{shop.id}"' in html
    assert 'href="/@seller/shop"' in html
    tab = _client().get("/@seller/shop").content.decode()
    assert 'data-testid="profile-shop"' in tab and "Oolong 50g" in tab and 'aria-current="page">Shop<' in tab
    # an account without a shop has neither, and no Shop tab to open
    html = _client().get("/@plain").content.decode()
    assert "shop-badge" not in html and "/@plain/shop" not in html
    assert _client().get("/@plain/shop").status_code == 404
    # in Chinese
    zh = _client().get("/@seller/shop", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "店铺" in zh


def test_the_account_json_names_the_shop(make_user, api_client):
    seller, plain = make_user("seller"), make_user("plain")
    shop = make_shop(seller, name="Tea House")
    client = api_client(plain, scope="read")
    found = client.get(f"/api/v1/accounts/{seller.id}").json()["agora_shop"]
    assert found == {"id": str(shop.id), "name": "Tea House", "url": absolute(f"/shop/{shop.id}")}
    assert found["url"].startswith("http")
    assert (
        client.get("/api/v1/accounts/lookup", {"acct": "seller"}).json()["agora_shop"]["name"] == "Tea House"
    )
    assert client.get(f"/api/v1/accounts/{plain.id}").json()["agora_shop"] is None
    assert client.get("/api/v1/accounts/verify_credentials").json()["agora_shop"] is None
    own = api_client(seller, scope="read").get("/api/v1/accounts/verify_credentials").json()
    assert own["agora_shop"]["id"] == str(shop.id)


def test_the_shop_page_shows_the_owners_posts_as_the_reader_may_see_them(make_user):
    seller, reader = make_user("seller"), make_user("reader")
    shop = make_shop(seller)
    do_create_status(seller, "Spring tea is in")
    do_create_status(seller, "Only for followers", visibility="private")
    html = _client(reader).get(f"/shop/{shop.id}/posts").content.decode()
    assert 'data-testid="shop-posts"' in html and "Spring tea is in" in html
    assert "Only for followers" not in html
    Follow.objects.create(follower=reader, followee=seller)
    assert "Only for followers" in _client(reader).get(f"/shop/{shop.id}/posts").content.decode()
    assert _client().get("/shop/999/posts").status_code == 404


def test_following_a_shop_is_following_its_owner(make_user):
    seller, reader = make_user("seller"), make_user("reader")
    shop = make_shop(seller)
    client = _client(reader)
    html = client.get(f"/shop/{shop.id}").content.decode()
    follow = html[html.index('data-testid="shop-follow"') :]
    assert 'data-state="none"' in follow[:800] and "/@seller/follow" in follow[:800]
    res = client.post("/@seller/follow", headers={"HX-Request": "true"})
    assert 'data-state="following"' in res.content.decode()
    assert Follow.objects.filter(follower=reader, followee=seller).exists()
    html = client.get(f"/shop/{shop.id}").content.decode()
    assert 'data-state="following"' in html
    # nobody signed in is sent to sign in, and back; the owner gets no button
    anon = _client().get(f"/shop/{shop.id}").content.decode()
    assert f"/login?next=/shop/{shop.id}" in anon
    assert "follow-btn" not in _client(seller).get(f"/shop/{shop.id}").content.decode()


def test_announce_posts_the_product_in_one_step(make_user):
    seller, other = make_user("seller"), make_user("other")
    shop = make_shop(seller)
    product = make_product(shop, title="Oolong 50g", price="59.00")
    client = _client(seller)
    centre = client.get("/market/seller").content.decode()
    assert f'action="/market/seller/products/{product.id}/announce"' in centre
    assert "New in my shop: Oolong 50g, from ¥59.00" in centre and f"/market/products/{product.id}" in centre
    # the seller edits the text and drops the link: the post still leads to the product
    res = client.post(f"/market/seller/products/{product.id}/announce", {"text": "Fresh oolong!"})
    assert res.status_code == 302
    post = Status.objects.get(author=seller)
    assert post.text.startswith("Fresh oolong! ") and post.text.endswith(f"/market/products/{product.id}")
    assert post.visibility == "public"
    # someone else's product: refused, nothing posted
    res = _client(other).post(f"/market/seller/products/{product.id}/announce", {"text": "mine now"})
    assert res.status_code == 302 and not Status.objects.filter(author=other).exists()
    # a delisted one cannot be announced
    product.is_listed = False
    product.save()
    client.post(f"/market/seller/products/{product.id}/announce", {"text": "again"})
    assert Status.objects.filter(author=seller).count() == 1
    # in Chinese, the offered text is Chinese
    product.is_listed = True
    product.save()
    zh = client.get("/market/seller", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "新品上架" in zh
