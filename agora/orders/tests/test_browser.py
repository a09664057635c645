"""A buyer buys from the product page through the sandbox; the seller ships it. Real Chromium."""

from __future__ import annotations

from playwright.sync_api import expect

from agora.catalog.testing import make_product
from agora.orders.models import Order
from agora.shops.testing import make_shop


def test_buy_from_product_page_through_sandbox_and_seller_ships(new_context, make_user, screenshot):
    seller, buyer = make_user("seller"), make_user("buyer")
    product = make_product(make_shop(seller), price="88.00", stock=2, variants=2, title="Bamboo tray")
    # the buyer picks the second variant and buys now
    page = new_context(user=buyer).new_page()
    page.goto(f"/market/products/{product.id}")
    page.locator("input[name=variant_id]").nth(1).check()
    page.get_by_role("button", name="Buy now").click()
    # the buy sheet opens on that variant; with no address yet it asks for one first
    sheet = page.get_by_test_id("buy-sheet")
    expect(sheet.locator("input[name=variant_id]").nth(1)).to_be_checked()
    sheet.get_by_label("Recipient").fill("Li Lei")
    sheet.get_by_label("Phone").fill("13800000000")
    sheet.get_by_label("City").fill("Hangzhou")
    sheet.get_by_label("Street").fill("1 West Lake Rd")
    sheet.get_by_role("button", name="Save address").click()
    expect(sheet.get_by_test_id("sheet-address")).to_contain_text("Li Lei")
    sheet.get_by_role("button", name="Confirm · ¥88.00").click()
    # the sandbox pay page is clearly labelled, and paying lands on the order
    assert "SANDBOX GATEWAY" in page.locator(".sandbox-banner").inner_text()
    page.get_by_role("button", name="Simulate a successful payment").click()
    assert page.get_by_test_id("status").inner_text() == "Paid"
    screenshot(page, "market-order-paid")
    order = Order.objects.get()
    assert order.lines.get().sku == "SKU-1"
    # the seller ships it from the seller centre
    seller_page = new_context(user=seller).new_page()
    seller_page.goto("/market/seller")
    row = seller_page.locator(f"tr[data-order='{order.id}']")
    row.get_by_label("Carrier").fill("SF Express")
    row.get_by_label("Tracking number").fill("SF123456")
    row.get_by_role("button", name="Ship").click()
    seller_page.goto(f"/market/orders/{order.id}")
    assert seller_page.get_by_test_id("status").inner_text() == "Shipped"
    assert "SF123456" in seller_page.content()
    order.refresh_from_db()
    assert order.status == "shipped" and order.tracking_number == "SF123456"
