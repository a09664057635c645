"""The web side of reviews published as posts (issue 14 point 3, 晒单): the order page's one-click
"Share as a post", the post's stars and verified-purchase badge, and the product page's posts about
it, buyers' first, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agora.catalog.testing import make_product
from agora.reviews.testing import reviewed_purchase
from agora.shops.testing import make_shop
from agora.social.actions import do_create_status
from agora.social.models import Status


@pytest.fixture
def product(active_user):
    return make_product(make_shop(active_user("seller"), name="Tea House"), title="Oolong", stock=50)


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_order_page_shares_the_review_in_one_click(active_user, product):
    ann = active_user("ann")
    review = reviewed_purchase(ann, product, rating=4, text="Smooth")
    client = _client(ann)
    order_url = f"/market/orders/{review.line.order_id}"
    page = client.get(order_url).content.decode()
    assert 'data-testid="share-review"' in page and f"/market/reviews/{review.id}/share" in page
    # one click publishes it and shows the post, with stars and the badge
    r = client.post(f"/market/reviews/{review.id}/share", {"next": order_url}, follow=True)
    post = Status.objects.get(review=review)
    assert r.redirect_chain[-1][0] == f"/@ann/{post.id}"
    html = r.content.decode()
    assert 'data-testid="verified-review"' in html and "★★★★☆" in html and "Verified purchase" in html
    assert "Smooth" in html and "Oolong" in html
    # the order page now leads to the post instead
    page = client.get(order_url).content.decode()
    assert 'data-testid="share-review"' not in page and f"/@ann/{post.id}" in page
    # and a second click publishes nothing more
    client.post(f"/market/reviews/{review.id}/share", {"next": order_url})
    assert Status.objects.filter(review=review).count() == 1


def test_someone_elses_review_cannot_be_shared(active_user, product):
    review = reviewed_purchase(active_user("ann"), product)
    _client(active_user("bob")).post(f"/market/reviews/{review.id}/share")
    assert not Status.objects.filter(review=review).exists()


def test_a_plain_post_has_no_badge(active_user, product):
    ann = active_user("ann")
    reviewed_purchase(ann, product)
    s = do_create_status(ann, "my tea", product_ids=[product.id])
    html = _client(ann).get(f"/@ann/{s.id}").content.decode()
    assert 'data-testid="verified-review"' not in html and "Verified purchase" not in html


def test_the_product_page_shows_buyers_posts_first_in_fixed_queries(active_user, product):
    ann, bob, cat = active_user("ann"), active_user("bob"), active_user("cat")
    url = f"/market/products/{product.id}/posts"
    client = Client()
    assert "No posts about this product yet." in client.get(url).content.decode()
    # an older review post, then newer plain posts, then a newer review post
    old_review = do_create_status(ann, "", review_id=reviewed_purchase(ann, product, text="first buy").id)
    plain_1 = do_create_status(bob, "plain one", product_ids=[product.id])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    plain_2 = do_create_status(cat, "plain two", product_ids=[product.id])
    new_review = do_create_status(cat, "", review_id=reviewed_purchase(cat, product, text="second").id)
    do_create_status(bob, "private", product_ids=[product.id], visibility="private")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    order = [s.id for s in (new_review, old_review, plain_2, plain_1)]
    positions = [html.index(f'id="post-{i}"') for i in order]
    assert positions == sorted(positions)
    assert "private" not in html and html.count('data-testid="verified-review"') == 2
    assert len(many) == len(few)
    # the product page loads the list
    assert url in client.get(f"/market/products/{product.id}").content.decode()
