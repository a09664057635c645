"""Shoppable posts (issue 14 points 1 and 8): `product_ids` on POST and PUT /api/v1/statuses, the
`agora_products` extension and the Mastodon `card` of the first product, links to Agora's own
product pages, live price and stock over a snapshot title and picture, and refused input."""

from __future__ import annotations

import pytest

from agora.catalog.actions import do_delist_product, do_update_product
from agora.catalog.testing import first_variant, make_product
from agora.media.actions import do_upload_media
from agora.shops.testing import make_shop
from agora.social.models import Status, StatusEdit, StatusProduct


@pytest.fixture
def alice(active_user):
    return active_user("alice")


@pytest.fixture
def shop(active_user):
    return make_shop(active_user("seller"), name="Tea House")


@pytest.fixture
def products(shop, png):
    def make(n=1, **fields):
        out = []
        for i in range(n):
            media = do_upload_media(shop.owner, png())
            out.append(
                make_product(shop, title=f"Oolong {i}", price=f"{129 + i}.00", media_ids=[media.id], **fields)
            )
        return out

    return make


def post(client, text="look", **extra):
    return client.post("/api/v1/statuses", {"status": text, **extra})


def test_post_carries_products_in_order_with_a_mastodon_card(alice, products, api_client, settings):
    # given three listed products
    p = products(3)
    client = api_client(alice)
    # when alice posts with them, the last first
    r = post(client, "my tea haul", product_ids=[str(p[2].id), str(p[0].id), str(p[1].id)])
    # then the status carries them in her order, with live facts and absolute URLs
    assert r.status_code == 200, r.content
    body = r.json()
    got = body["agora_products"]
    assert [g["id"] for g in got] == [str(p[2].id), str(p[0].id), str(p[1].id)]
    first = got[0]
    assert first["title"] == "Oolong 2" and first["price"] == "131.00" and first["currency"] == "CNY"
    assert first["shop"]["name"] == "Tea House" and first["in_stock"] is True and first["available"] is True
    assert first["rating"] is None and first["sold_count"] == 0
    assert first["url"] == settings.AGORA.site_url.rstrip("/") + f"/market/products/{p[2].id}"
    assert first["image"].startswith("http")
    # and the first product is Mastodon's preview card, with every PreviewCard field
    card = body["card"]
    assert card["type"] == "link" and card["url"] == first["url"] and card["title"] == "Oolong 2"
    assert card["description"] == "¥131.00 · Tea House"
    assert card["image"] == first["image"] and card["width"] > 0 and card["height"] > 0
    for key in ("author_name", "author_url", "provider_name", "provider_url", "html", "embed_url"):
        assert isinstance(card[key], str)
    assert card["blurhash"] is None and card["authors"] == []


def test_a_post_without_products_has_an_empty_list_and_no_card(alice, api_client):
    body = post(api_client(alice), "plain").json()
    assert body["agora_products"] == [] and body["card"] is None


def test_a_product_alone_is_a_post(alice, products, api_client):
    # a post with no text but a product is not empty
    p = products()
    r = post(api_client(alice), "", product_ids=[str(p[0].id)])
    assert r.status_code == 200, r.content


def test_form_encoded_product_ids(alice, products, api_client):
    p = products(2)
    r = api_client(alice).post(
        "/api/v1/statuses",
        f"status=hi&product_ids[]={p[1].id}&product_ids[]={p[0].id}",
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 200, r.content
    assert [g["id"] for g in r.json()["agora_products"]] == [str(p[1].id), str(p[0].id)]


def test_a_pasted_link_to_our_product_page_becomes_the_card(alice, products, api_client, settings):
    # given two products, one linked by absolute URL and one by path
    p = products(2)
    site = settings.AGORA.site_url.rstrip("/")
    text = f"love this {site}/market/products/{p[0].id} and /market/products/{p[1].id}?ref=me ok"
    # when alice posts the links (no product_ids)
    body = post(api_client(alice), text).json()
    # then both are attached in the text's order and the first is the card
    assert [g["id"] for g in body["agora_products"]] == [str(p[0].id), str(p[1].id)]
    assert body["card"]["title"] == "Oolong 0"


def test_links_elsewhere_and_to_unknown_products_stay_plain_links(alice, products, api_client):
    p = products()
    text = f"https://elsewhere.example/market/products/{p[0].id} and /market/products/999999"
    body = post(api_client(alice), text).json()
    assert body["agora_products"] == [] and body["card"] is None


def test_a_linked_product_named_in_product_ids_is_attached_once(alice, products, api_client):
    p = products(2)
    body = post(
        api_client(alice), f"see /market/products/{p[0].id}", product_ids=[str(p[1].id), str(p[0].id)]
    ).json()
    assert [g["id"] for g in body["agora_products"]] == [str(p[1].id), str(p[0].id)]


def test_title_and_picture_are_snapshots_price_and_stock_are_live(alice, products, api_client):
    # given a post carrying a product
    p = products()[0]
    client = api_client(alice)
    sid = post(client, "buy", product_ids=[str(p.id)]).json()["id"]
    image = client.get(f"/api/v1/statuses/{sid}").json()["agora_products"][0]["image"]
    # when the seller renames it, changes its picture, reprices it and it sells out
    v = first_variant(p)
    do_update_product(
        p.shop.owner,
        p,
        title="Renamed",
        media_ids=[],
        variants=[{"id": str(v.id), "price": "99.00", "stock": 0}],
    )
    # then the post shows the old title and picture, the new price, sold out
    got = client.get(f"/api/v1/statuses/{sid}").json()
    card = got["agora_products"][0]
    assert card["title"] == "Oolong 0" and card["image"] == image
    assert card["price"] == "99.00" and card["in_stock"] is False and card["available"] is True
    assert got["card"]["description"] == "¥99.00 · Sold out · Tea House"


def test_a_delisted_product_stays_on_the_post_as_unavailable(alice, products, api_client):
    p = products()[0]
    client = api_client(alice)
    sid = post(client, "buy", product_ids=[str(p.id)]).json()["id"]
    do_delist_product(p.shop.owner, p)
    got = client.get(f"/api/v1/statuses/{sid}").json()
    assert got["agora_products"][0]["available"] is False and got["agora_products"][0]["in_stock"] is False
    assert got["card"]["title"] == "Oolong 0" and got["card"]["description"] == "Unavailable · Tea House"


@pytest.mark.parametrize(
    "case, status, code",
    [
        ("ten", 422, "too_many_products"),
        ("twice", 422, "duplicate_product"),
        ("unknown", 404, "unknown_product"),
        ("delisted", 409, "product_delisted"),
    ],
)
def test_bad_product_ids_are_refused_and_write_nothing(case, status, code, alice, products, api_client):
    # given products and alice's post count
    p = products(10)
    do_delist_product(p[9].shop.owner, p[9])
    ids = {
        "ten": [str(x.id) for x in p[:9]] + [str(p[0].id + 1)],
        "twice": [str(p[0].id), str(p[1].id), str(p[0].id)],
        "unknown": [str(p[0].id), "123456789"],
        "delisted": [str(p[0].id), str(p[9].id)],
    }[case]
    before = Status.objects.count()
    # when she posts them
    r = post(api_client(alice), "nope", product_ids=ids)
    # then a clear refusal with its code (404 for no such product, 409 for a delisted one), and
    # nothing written
    assert r.status_code == status, r.content
    assert r.json()["code"] == code and r.json()["error"]
    assert Status.objects.count() == before and not StatusProduct.objects.exists()


def test_non_numeric_product_ids_are_422(alice, api_client):
    r = post(api_client(alice), "x", product_ids=["abc"])
    assert r.status_code == 422 and r.json()["code"] == "validation_failed"


def test_edit_replaces_products_and_keeps_history(alice, products, api_client):
    # given a post carrying two products
    p = products(4)
    client = api_client(alice)
    sid = post(client, "v1", product_ids=[str(p[0].id), str(p[1].id)]).json()["id"]
    # when alice edits the text only, the products stay
    r = client.put(f"/api/v1/statuses/{sid}", {"status": "v2"})
    assert [g["id"] for g in r.json()["agora_products"]] == [str(p[0].id), str(p[1].id)]
    # when she sends product_ids, they replace the old ones in the new order
    r = client.put(f"/api/v1/statuses/{sid}", {"status": "v3", "product_ids": [str(p[3].id), str(p[0].id)]})
    assert r.status_code == 200, r.content
    assert [g["id"] for g in r.json()["agora_products"]] == [str(p[3].id), str(p[0].id)]
    assert r.json()["card"]["title"] == "Oolong 3"
    # and an empty list removes them all
    r = client.put(f"/api/v1/statuses/{sid}", {"status": "v4", "product_ids": []})
    assert r.json()["agora_products"] == [] and r.json()["card"] is None
    # and the history still answers, each version recording its products
    history = client.get(f"/api/v1/statuses/{sid}/history")
    assert history.status_code == 200 and len(history.json()) == 4
    versions = list(StatusEdit.objects.filter(status_id=int(sid)).order_by("id"))
    assert [e.product_ids for e in versions] == [
        [str(p[0].id), str(p[1].id)],
        [str(p[0].id), str(p[1].id)],
        [str(p[3].id), str(p[0].id)],
        [],
    ]


def test_a_kept_product_keeps_its_snapshot_across_an_edit(alice, products, api_client):
    p = products(2)
    client = api_client(alice)
    sid = post(client, "v1", product_ids=[str(p[0].id)]).json()["id"]
    do_update_product(p[0].shop.owner, p[0], title="Renamed")
    r = client.put(f"/api/v1/statuses/{sid}", {"status": "v2", "product_ids": [str(p[1].id), str(p[0].id)]})
    assert [g["title"] for g in r.json()["agora_products"]] == ["Oolong 1", "Oolong 0"]


def test_a_bad_edit_is_422_and_changes_nothing(alice, products, api_client):
    p = products(2)
    client = api_client(alice)
    sid = post(client, "v1", product_ids=[str(p[0].id)]).json()["id"]
    r = client.put(f"/api/v1/statuses/{sid}", {"status": "v2", "product_ids": [str(p[1].id)] * 2})
    assert r.status_code == 422 and r.json()["code"] == "duplicate_product"
    got = client.get(f"/api/v1/statuses/{sid}").json()
    assert got["content"] == "<p>v1</p>" and [g["id"] for g in got["agora_products"]] == [str(p[0].id)]
    assert not StatusEdit.objects.filter(status_id=int(sid)).exists()


def test_edit_follows_the_links_of_the_new_text(alice, products, api_client):
    p = products(2)
    client = api_client(alice)
    sid = post(client, f"see /market/products/{p[0].id}", product_ids=[str(p[1].id)]).json()["id"]
    r = client.put(f"/api/v1/statuses/{sid}", {"status": "no link now"})
    assert [g["id"] for g in r.json()["agora_products"]] == [str(p[1].id)]


def test_a_repost_and_a_quote_show_the_products(alice, active_user, products, api_client):
    p = products()
    client = api_client(alice)
    sid = post(client, "buy", product_ids=[str(p[0].id)]).json()["id"]
    bob = api_client(active_user("bob"))
    rb = bob.post(f"/api/v1/statuses/{sid}/reblog").json()
    assert rb["reblog"]["agora_products"][0]["id"] == str(p[0].id) and rb["agora_products"] == []
    q = post(bob, "so good", quoted_status_id=sid).json()
    assert q["quote"]["quoted_status"]["card"]["title"] == "Oolong 0"


def test_an_edit_may_keep_a_product_delisted_since_but_not_add_one(alice, products, api_client):
    # given a post carrying a product its seller has delisted since, and another delisted product
    p = products(3)
    client = api_client(alice)
    sid = post(client, "v1", product_ids=[str(p[0].id)]).json()["id"]
    do_delist_product(p[0].shop.owner, p[0])
    do_delist_product(p[2].shop.owner, p[2])
    # when alice sends the list again with one more listed product, it is accepted
    r = client.put(f"/api/v1/statuses/{sid}", {"status": "v2", "product_ids": [str(p[1].id), str(p[0].id)]})
    assert r.status_code == 200, r.content
    assert [g["available"] for g in r.json()["agora_products"]] == [True, False]
    # but adding another delisted product is refused
    r = client.put(f"/api/v1/statuses/{sid}", {"status": "v3", "product_ids": [str(p[2].id)]})
    assert r.status_code == 409 and r.json()["code"] == "product_delisted"
