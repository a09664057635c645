"""Save a product to a board from its page, then find it on the board. Real Chromium."""

from __future__ import annotations

from agora.boards.actions import do_create_board, do_pin
from agora.boards.models import Pin
from agora.catalog.testing import make_product
from agora.shops.testing import make_shop


def test_save_a_product_from_its_page_and_find_it_on_the_board(new_context, make_user, screenshot):
    # given a product and a buyer with a board of their own
    product = make_product(make_shop(make_user("seller")), title="Celadon tea set", price="129.00")
    buyer = make_user("buyer")
    board = do_create_board(buyer, name="Tea corner")
    page = new_context(user=buyer).new_page()
    # when they pick that board in the Save control of the product page and save
    page.goto(f"/market/products/{product.id}")
    page.get_by_label("Board").select_option(label="Tea corner")
    page.get_by_role("button", name="Save", exact=True).click()
    # then the page says where it went, and the board shows it
    page.get_by_role("status").get_by_role("link", name="Tea corner").click()
    assert page.locator(".pin").filter(has_text="Celadon tea set").count() == 1
    screenshot(page, "board-with-saved-product")
    assert Pin.objects.get().board_id == board.id


def test_board_is_two_columns_on_a_phone(new_context, make_user):
    owner = make_user("ann")
    shop = make_shop(make_user("seller"))
    board = do_create_board(owner, name="Picks")
    for i in range(4):
        do_pin(owner, board, product_id=make_product(shop, title=f"P{i}").id)
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"/boards/{board.id}")
    assert page.locator(".masonry").evaluate("el => getComputedStyle(el).columnCount") == "2"
