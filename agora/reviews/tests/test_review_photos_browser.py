"""Review photos on the product page, in real Chromium at phone width."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from agora.catalog.testing import make_product
from agora.reviews.tests.test_review_photos_web import _review
from agora.shops.testing import make_shop


def test_buyers_photos_show_on_the_product_page(new_context, make_user, screenshot):
    seller = make_user("seller")
    product = make_product(make_shop(seller), stock=20, title="Bamboo tray")
    review = _review(seller, make_user("ann"), product, photos=3, text="Sturdy and light")
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"/market/products/{product.id}")
    strip = page.get_by_test_id("review-photos")
    expect(strip.locator("img")).to_have_count(3)
    # a photo in the strip leads to its review, which shows the photos too
    strip.locator("a").first.click()
    expect(page).to_have_url(re.compile(f"#review-{review.id}$"))
    expect(page.locator(f"#review-{review.id} .review__photos img")).to_have_count(3)
    assert page.locator(f"#review-{review.id} .review__photos img").first.evaluate("i => i.naturalWidth") > 0
    page.locator(f"#review-{review.id}").scroll_into_view_if_needed()
    screenshot(page, "product-review-photos-phone")
