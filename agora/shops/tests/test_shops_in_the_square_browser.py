"""Shops in the square, in real Chromium: a profile's shop badge and Shop tab, the shop page's
Posts tab and Follow button, and announcing a product from the seller centre."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from agora.catalog.testing import make_product
from agora.shops.testing import make_shop
from agora.social.actions import do_create_status
from agora.social.models import Follow, Status
from agora.web.testing import PHONE


def test_profile_shop_tab_and_shop_page_posts_and_follow(new_context, make_user, screenshot):
    seller, reader = make_user("seller", display_name="Tea House Li"), make_user("reader")
    shop = make_shop(seller, name="Tea House")
    make_product(shop, title="Oolong 50g", price="59.00")
    do_create_status(seller, "Spring oolong has arrived")
    page = new_context(user=reader, viewport=PHONE).new_page()
    # the profile shows a shop badge and a Shop tab with the products
    page.goto("/@seller")
    expect(page.get_by_test_id("shop-badge")).to_be_visible()
    page.locator("nav.tabs").get_by_role("link", name="Shop", exact=True).click()
    expect(page.get_by_test_id("profile-shop")).to_contain_text("Oolong 50g")
    screenshot(page, "profile-shop-tab-phone")
    # the badge leads to the shop page, whose Posts tab shows the owner's posts
    page.get_by_test_id("shop-badge").click()
    expect(page).to_have_url(re.compile(f"/shop/{shop.id}$"))
    page.get_by_role("link", name="Posts", exact=True).click()
    expect(page.get_by_test_id("shop-posts")).to_contain_text("Spring oolong has arrived")
    # following the shop follows its owner, and the button says so
    follow = page.get_by_test_id("shop-follow")
    follow.get_by_role("button", name="Follow").click()
    expect(follow.get_by_role("button", name="Following")).to_be_visible()
    assert Follow.objects.filter(follower=reader, followee=seller).exists()
    screenshot(page, "shop-posts-phone")
    desktop = new_context(user=reader).new_page()
    desktop.goto(f"/shop/{shop.id}")
    expect(desktop.get_by_test_id("shop-follow").get_by_role("button", name="Following")).to_be_visible()
    screenshot(desktop, "shop-page-desktop")


def test_a_seller_announces_a_product_in_one_step(new_context, make_user, screenshot):
    seller = make_user("seller")
    product = make_product(make_shop(seller), title="Oolong 50g", price="59.00")
    page = new_context(user=seller, viewport=PHONE).new_page()
    page.goto("/market/seller")
    row = page.locator(f"tr[data-product='{product.id}']")
    row.get_by_text("Announce").click()
    text = row.get_by_label("Post about this product")
    expect(text).to_have_value(f"New in my shop: Oolong 50g, from ¥59.00 {text.input_value().split()[-1]}")
    screenshot(page, "seller-announce-phone")
    row.get_by_role("button", name="Post now").click()
    expect(page.locator(".message--success")).to_contain_text("Announced to your followers.")
    post = Status.objects.get(author=seller)
    assert post.text.endswith(f"/market/products/{product.id}")
    page.goto("/@seller")
    expect(page.locator("#timeline")).to_contain_text("New in my shop: Oolong 50g")
