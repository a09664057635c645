"""A buyer's review published as a post (issue 14 point 3, 晒单): `agora_review_id` on POST
/api/v1/statuses, the `agora_review` extension, and the refusals: someone else's review or none is
404, a review published already is 409, and "verified purchase" comes from nothing but a review."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.catalog.actions import do_delist_product
from agora.catalog.testing import make_product
from agora.media.actions import do_upload_media
from agora.reviews.testing import reviewed_purchase
from agora.shops.testing import make_shop
from agora.social.actions import do_create_status
from agora.social.models import Status, StatusMedia


@pytest.fixture
def product(active_user, png):
    shop = make_shop(active_user("seller"), name="Tea House")
    return make_product(shop, title="Oolong", price="129.00", stock=50)


def test_a_buyer_publishes_her_review_as_a_post(active_user, product, api_client, png):
    # given ann bought the tea, confirmed receipt and reviewed it with two photos
    ann = active_user("ann")
    photos = [do_upload_media(ann, png()).id for _ in range(2)]
    review = reviewed_purchase(ann, product, rating=4, text="Smooth and sweet", media_ids=photos)
    # when she publishes the review as a post, without text of her own
    r = api_client(ann).post("/api/v1/statuses", {"agora_review_id": str(review.id)})
    # then the post has the review's text, photos, product card and stars, and the badge
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["agora_review"] == {"id": str(review.id), "rating": 4, "verified_purchase": True}
    assert "Smooth and sweet" in body["content"]
    assert [p["id"] for p in body["agora_products"]] == [str(product.id)]
    assert body["card"]["title"] == "Oolong"
    assert [m["id"] for m in body["media_attachments"]] == [str(i) for i in photos]
    # and the status read back says the same
    again = api_client(ann).get(f"/api/v1/statuses/{body['id']}").json()
    assert again["agora_review"] == body["agora_review"]


def test_her_own_text_and_pictures_win_over_the_review(active_user, product, api_client, png):
    ann = active_user("ann")
    review = reviewed_purchase(ann, product, text="Review text", media_ids=[do_upload_media(ann, png()).id])
    mine = do_upload_media(ann, png()).id
    r = api_client(ann).post(
        "/api/v1/statuses",
        {"status": "My haul!", "agora_review_id": str(review.id), "media_ids": [str(mine)]},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert "My haul!" in body["content"] and "Review text" not in body["content"]
    assert [m["id"] for m in body["media_attachments"]] == [str(mine)]
    assert body["agora_review"]["rating"] == 5


def test_someone_elses_review_or_none_is_404(active_user, product, api_client):
    ann, bob = active_user("ann"), active_user("bob")
    review = reviewed_purchase(ann, product)
    for rid in (review.id, review.id + 12345):
        r = api_client(bob).post("/api/v1/statuses", {"status": "mine now", "agora_review_id": str(rid)})
        assert r.status_code == 404 and r.json()["code"] == "review_not_found"
    assert not Status.objects.filter(author=bob).exists()


def test_a_review_is_published_once(active_user, product, api_client):
    ann = active_user("ann")
    review = reviewed_purchase(ann, product)
    client = api_client(ann)
    assert client.post("/api/v1/statuses", {"agora_review_id": str(review.id)}).status_code == 200
    r = client.post("/api/v1/statuses", {"status": "again", "agora_review_id": str(review.id)})
    assert r.status_code == 409 and r.json()["code"] == "review_already_posted"
    assert Status.objects.filter(review=review).count() == 1
    # once the post is deleted, the review may be published again
    Status.objects.get(review=review).delete()
    assert client.post("/api/v1/statuses", {"agora_review_id": str(review.id)}).status_code == 200


def test_a_delisted_product_still_goes_with_its_review(active_user, product, api_client):
    ann = active_user("ann")
    review = reviewed_purchase(ann, product)
    do_delist_product(product.shop.owner, product)
    r = api_client(ann).post("/api/v1/statuses", {"agora_review_id": str(review.id)})
    assert r.status_code == 200, r.content
    assert r.json()["agora_products"][0]["available"] is False


def test_no_badge_without_a_review(active_user, product, api_client):
    # a post carrying the product, even by a buyer, and any unknown field, carries no badge
    ann = active_user("ann")
    reviewed_purchase(ann, product)
    r = api_client(ann).post(
        "/api/v1/statuses",
        {"status": "no review here", "product_ids": [str(product.id)], "agora_review": {"rating": 5}},
    )
    assert r.status_code == 200, r.content
    assert r.json()["agora_review"] is None


def test_review_posts_cost_no_extra_query_on_a_timeline(active_user, product, api_client):
    # given one plain post on ann's profile, then, on the same page, three review posts
    ann = active_user("ann")
    do_create_status(ann, "plain", product_ids=[product.id])
    client = api_client(ann)
    url = f"/api/v1/accounts/{ann.id}/statuses"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(3):
        do_create_status(ann, "", review_id=reviewed_purchase(ann, product, rating=1 + i).id)
    with CaptureQueriesContext(connection) as four:
        body = client.get(url).json()
    assert [s["agora_review"]["rating"] if s["agora_review"] else None for s in body] == [3, 2, 1, None]
    assert len(four) == len(one)
    assert StatusMedia.objects.count() == 0
