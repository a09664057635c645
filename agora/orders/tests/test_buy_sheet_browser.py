"""The buy sheet in real Chromium: from a product card to the sandbox pay page in two clicks (Buy,
Confirm) for a buyer with a default address, at phone and desktop width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from agora.catalog.testing import make_product
from agora.orders.models import Order
from agora.orders.testing import make_address
from agora.shops.testing import make_shop
from agora.web.testing import DESKTOP, PHONE


def _settled(page) -> None:
    page.wait_for_function("document.querySelectorAll('.htmx-request').length === 0")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_from_a_product_card_to_the_pay_page_in_two_clicks(new_context, make_user, screenshot, viewport):
    seller, buyer = make_user("seller"), make_user("buyer")
    shop = make_shop(seller, shipping_fee="8.00")
    product = make_product(shop, price="39.00", stock=3, variants=3, title="Bamboo tray")
    make_address(buyer)
    page = new_context(user=buyer, viewport=viewport).new_page()
    page.goto(f"/shop/{shop.id}")
    card = page.locator(f"[data-product='{product.id}']")
    # click 1: Buy opens the sheet in place, on the default address, with the total
    card.get_by_role("link", name="Buy", exact=True).click()
    sheet = page.get_by_test_id("buy-sheet")
    expect(sheet).to_be_visible()
    expect(sheet.get_by_test_id("sheet-address")).to_contain_text("Hangzhou")
    expect(sheet.get_by_test_id("sheet-total")).to_have_text("¥47.00")
    # picking a variant and one more re-prices it in place
    sheet.locator("label.chip").nth(1).click()
    _settled(page)  # the sheet re-renders on each choice: a click during the swap would be lost
    sheet.get_by_role("button", name="One more").click()
    _settled(page)
    expect(sheet.get_by_test_id("sheet-total")).to_have_text("¥86.00")
    screenshot(page, f"buy-sheet-{'phone' if viewport is PHONE else 'desktop'}")
    box = sheet.bounding_box()
    if viewport is PHONE:  # a bottom sheet: full width, on the bottom edge
        assert box["width"] == PHONE["width"] and abs(box["y"] + box["height"] - PHONE["height"]) <= 1
    else:  # a dialog in the middle
        assert box["width"] <= 480 and box["x"] > 300
    # click 2: Confirm places the order and lands on the sandbox pay page
    sheet.get_by_role("button", name="Confirm · ¥86.00").click()
    page.wait_for_url("**/sandbox/**")
    expect(page.locator(".sandbox-banner")).to_contain_text("SANDBOX GATEWAY")
    screenshot(page, f"buy-sheet-pay-{'phone' if viewport is PHONE else 'desktop'}")
    order = Order.objects.get(buyer=buyer)
    line = order.lines.get()
    assert line.sku == "SKU-1" and line.quantity == 2 and str(order.total) == "86.00"


def test_add_to_cart_and_sign_in_from_the_sheet(new_context, make_user, screenshot):
    seller, buyer = make_user("seller"), make_user("buyer")
    shop = make_shop(seller)
    product = make_product(shop, price="12.00", stock=1, variants=1, title="Tea cup")
    # nobody signed in: the sheet asks to sign in and comes back to the page
    page = new_context(viewport=PHONE, locale="zh-CN").new_page()
    page.goto("/market?q=Tea")
    page.locator(f"[data-product='{product.id}']").get_by_role("link", name="立即购买").click()
    link = page.get_by_test_id("buy-sheet").get_by_role("link", name="登录后购买")
    expect(link).to_have_attribute("href", "/login?next=%2Fmarket%3Fq%3DTea")
    screenshot(page, "buy-sheet-sign-in-zh")
    # a buyer adds it to the cart from the sheet, which says so and closes
    page = new_context(user=buyer).new_page()
    page.goto("/market")
    page.locator(f"[data-product='{product.id}']").get_by_role("link", name="Add to cart").click()
    sheet = page.get_by_test_id("buy-sheet")
    sheet.get_by_role("button", name="Add to cart").click()
    expect(sheet.get_by_test_id("sheet-added")).to_be_visible()
    sheet.get_by_role("button", name="Keep shopping").click()
    expect(page.get_by_test_id("buy-sheet")).to_have_count(0)
    page.goto("/market/cart")
    assert "Tea cup" in page.content()
