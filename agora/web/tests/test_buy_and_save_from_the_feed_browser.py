"""The point of Agora, in real Chromium: a post on the home timeline carries a product; its card
buys it in two clicks (Buy, Confirm) through the sandbox, the order line remembering the post, and
saves it to a board where the board page shows it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from agora.boards.selectors import wishlist_of
from agora.catalog.testing import make_product
from agora.orders.models import OrderLine
from agora.orders.testing import make_address
from agora.shops.testing import make_shop
from agora.social.actions import do_create_status, do_follow
from agora.web.testing import DESKTOP, PHONE


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_buy_from_a_post_on_the_home_timeline(new_context, make_user, screenshot, viewport):
    # given a buyer with a default address who follows someone posting a product
    seller, author, buyer = make_user("seller"), make_user("author"), make_user("buyer")
    product = make_product(make_shop(seller, shipping_fee="6.00"), price="129.00", stock=5, title="Teapot")
    make_address(buyer)
    do_follow(buyer, author)
    post = do_create_status(author, "my new teapot", product_ids=[product.id])
    page = new_context(user=buyer, viewport=viewport).new_page()
    page.goto("/")
    card = page.locator(f"#post-{post.id} [data-product-id='{product.id}']")
    expect(card).to_contain_text("¥129.00")
    screenshot(page, f"feed-card-{'phone' if viewport is PHONE else 'desktop'}")
    # click 1: Buy opens the sheet in place with the total and shipping
    card.get_by_role("link", name="Buy", exact=True).click()
    sheet = page.get_by_test_id("buy-sheet")
    expect(sheet.get_by_test_id("sheet-total")).to_have_text("¥135.00")
    # click 2: Confirm goes to the sandbox pay page
    sheet.get_by_role("button", name="Confirm · ¥135.00").click()
    page.wait_for_url("**/sandbox/**")
    # then the order line records the post it was bought from
    line = OrderLine.objects.get(order__buyer=buyer)
    assert line.source_status_id == post.id and line.quantity == 1


def test_save_a_product_from_a_post_and_find_it_on_the_board(new_context, make_user, screenshot):
    author, reader = make_user("author"), make_user("reader")
    product = make_product(make_shop(make_user("seller")), price="58.00", title="Tea caddy")
    do_follow(reader, author)
    post = do_create_status(author, "look at this caddy", product_ids=[product.id])
    page = new_context(user=reader, viewport=PHONE).new_page()
    page.goto("/")
    card = page.locator(f"#post-{post.id} [data-product-id='{product.id}']")
    # Save opens the board picker in the card; saving to the Wishlist says so
    card.get_by_role("link", name="Save").click()
    card.get_by_role("button", name="Save").click()
    expect(card.get_by_role("status")).to_contain_text("Wishlist")
    screenshot(page, "feed-card-saved")
    # and the board page shows the product
    page.goto(f"/boards/{wishlist_of(reader).id}")
    expect(page.get_by_text("Tea caddy")).to_be_visible()
    screenshot(page, "feed-saved-to-wishlist")
