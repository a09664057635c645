"""Review photos on the product page: a gallery strip of buyers' photos and each review's own, in a
fixed number of queries whatever the number of reviews and photos."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agora.catalog.testing import first_variant, make_product
from agora.media.actions import do_upload_media
from agora.orders.actions import do_confirm_receipt, do_ship_order
from agora.payments.testing import buy
from agora.reviews.actions import do_create_review
from agora.shops.testing import make_shop
from agora.social.testing import png_bytes

pytestmark = pytest.mark.django_db


def _review(seller, buyer, product, *, photos: int, text: str = "Nice"):
    order = buy(buyer, first_variant(product), 1, pay=True)
    do_ship_order(seller, order.id, carrier="SF", tracking_number="1")
    do_confirm_receipt(buyer, order.id)
    media = [
        do_upload_media(buyer, png_bytes(color=(10 * i, 80, 120)), description=f"photo {i}").id
        for i in range(photos)
    ]
    return do_create_review(buyer, order.lines.get().id, rating=5, text=text, media_ids=media)


def test_review_photos_show_in_a_strip_and_on_each_review(make_user, media_root):
    seller = make_user("seller")
    product = make_product(make_shop(seller), stock=50)
    with_photos = _review(seller, make_user("ann"), product, photos=2, text="Look at it")
    _review(seller, make_user("bob"), product, photos=0, text="No pictures")
    html = Client().get(f"/market/products/{product.id}").content.decode()
    strip = html[html.index('data-testid="review-photos"') :]
    strip = strip[: strip.index("</div>\n  </div>")]
    # the strip holds both photos, each leading to its review
    assert strip.count("<img") == 2 and f'href="#review-{with_photos.id}"' in strip
    # and the review shows its own photos (full size behind each thumbnail)
    review = html[html.index(f'id="review-{with_photos.id}"') :]
    review = review[: review.index('class="card review"') if 'class="card review"' in review else None]
    assert review.count("<img") == 2 and 'alt="photo 0"' in review
    # a product without review photos has no strip
    other = make_product(make_shop(make_user("seller2")))
    assert 'data-testid="review-photos"' not in Client().get(f"/market/products/{other.id}").content.decode()


def test_the_product_page_costs_the_same_queries_whatever_the_photos(make_user, media_root):
    seller = make_user("seller")
    few = make_product(make_shop(seller), stock=50, title="Few")
    many = make_product(seller.shop, stock=50, title="Many")
    _review(seller, make_user("a1"), few, photos=1)
    for i in range(4):
        _review(seller, make_user(f"b{i}"), many, photos=3)
    client = Client()
    client.get(f"/market/products/{few.id}")  # warm
    with CaptureQueriesContext(connection) as q_few:
        client.get(f"/market/products/{few.id}")
    with CaptureQueriesContext(connection) as q_many:
        page = client.get(f"/market/products/{many.id}").content.decode()
    assert page.count('class="card review"') == 4
    assert len(q_many) == len(q_few), [q["sql"] for q in q_many.captured_queries]
