"""晒单 in real Chromium: a buyer whose order is completed and reviewed publishes the review as a
post from the order page in one click, and finds it with its stars and badge on the product page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from agora.catalog.testing import make_product
from agora.media.actions import do_upload_media
from agora.reviews.testing import reviewed_purchase
from agora.shops.testing import make_shop
from agora.social.actions import do_create_status
from agora.social.models import Status
from agora.social.testing import png_bytes
from agora.web.testing import DESKTOP, PHONE


@pytest.mark.parametrize(
    "viewport,locale,badge,share",
    [(PHONE, "zh-CN", "已购买认证", "晒单"), (DESKTOP, "en-US", "Verified purchase", "Share as a post")],
    ids=["phone-zh", "desktop-en"],
)
def test_a_buyer_shares_her_review_and_finds_it_on_the_product_page(
    new_context, make_user, screenshot, viewport, locale, badge, share
):
    # given ann received the teapot and reviewed it with a photo, and bob posted about it earlier
    seller, ann, bob = make_user("seller"), make_user("ann"), make_user("bob")
    product = make_product(make_shop(seller), price="129.00", stock=5, title="Teapot")
    photo = do_upload_media(ann, png_bytes(color=(30, 140, 90)), description="my teapot").id
    review = reviewed_purchase(ann, product, rating=4, text="Pours well", media_ids=[photo])
    plain = do_create_status(bob, "saw this teapot", product_ids=[product.id])
    page = new_context(user=ann, viewport=viewport, locale=locale).new_page()
    # when she clicks Share as a post on her order page
    page.goto(f"/market/orders/{review.line.order_id}")
    page.get_by_role("button", name=share).click()
    # then she sees the post, with the stars and the badge, the photo and the product card
    post = Status.objects.get(review=review)
    page.wait_for_url(f"**/@ann/{post.id}")
    card = page.locator(f"#post-{post.id}")
    expect(card.get_by_test_id("verified-review")).to_contain_text(badge)
    expect(card.get_by_test_id("verified-review")).to_contain_text("★★★★☆")
    expect(card).to_contain_text("Pours well")
    expect(card.locator(f"[data-product-id='{product.id}']")).to_be_visible()
    name = "phone-zh" if viewport is PHONE else "desktop-en"
    screenshot(page, f"review-post-{name}")
    # and the product page shows it among the posts about the product, before bob's
    page.goto(f"/market/products/{product.id}")
    posts = page.get_by_test_id("product-posts")
    expect(posts.locator("article.post")).to_have_count(2)
    expect(posts.locator("article.post").first).to_have_id(f"post-{post.id}")
    expect(posts.locator("article.post").nth(1)).to_have_id(f"post-{plain.id}")
    expect(posts.locator("article.post").first.get_by_test_id("verified-review")).to_contain_text(badge)
    posts.scroll_into_view_if_needed()
    screenshot(page, f"product-posts-{name}")
    # and the order page no longer offers to share it again
    page.goto(f"/market/orders/{review.line.order_id}")
    expect(page.get_by_test_id("share-review")).to_have_count(0)
