"""Board pages: privacy, the Save control, repin, follow, and a query count fixed whatever the pins."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agora.boards.actions import do_create_board, do_pin
from agora.boards.models import Pin
from agora.boards.selectors import wishlist_of
from agora.catalog.testing import make_product
from agora.shops.testing import make_shop
from agora.social.actions import do_create_status

HX = {"HX-Request": "true"}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_private_board_page_is_404_for_others_and_anonymous(make_user):
    ann = make_user("ann")
    board = do_create_board(ann, name="Secret", is_private=True)
    assert _client(ann).get(f"/boards/{board.id}").status_code == 200
    assert _client(make_user("bob")).get(f"/boards/{board.id}").status_code == 404
    assert Client().get(f"/boards/{board.id}").status_code == 404


def test_save_widget_saves_to_the_wishlist_by_default_and_twice_is_a_no_op(make_user):
    product = make_product(make_shop(make_user("seller")), title="Tea set")
    ann = make_user("ann")
    client = _client(ann)
    # given the picker, whose first choice is the Wishlist
    picker = client.get(f"/boards/save?product_id={product.id}", headers={"HX-Request": "true"})
    wishlist = wishlist_of(ann)
    assert f'value="{wishlist.id}"' in picker.content.decode() and "Wishlist" in picker.content.decode()
    # when the product is saved twice
    first = client.post("/boards/save", {"product_id": product.id, "board_id": wishlist.id}, headers=HX)
    again = client.post("/boards/save", {"product_id": product.id, "board_id": wishlist.id}, headers=HX)
    # then it is on the Wishlist once, and the second answer says so
    assert "Saved to" in first.content.decode() and "Already saved to" in again.content.decode()
    assert list(Pin.objects.values_list("board_id", "product_id")) == [(wishlist.id, product.id)]
    assert wishlist.is_private


def test_save_widget_refuses_another_users_board(make_user):
    product = make_product(make_shop(make_user("seller")))
    theirs = do_create_board(make_user("bob"), name="Bob's")
    response = _client(make_user("ann")).post(
        "/boards/save", {"product_id": product.id, "board_id": theirs.id}
    )
    assert response.status_code == 200 and "No such board" in response.content.decode()
    assert not Pin.objects.exists()


def test_repin_and_follow_from_a_board_page(make_user):
    product = make_product(make_shop(make_user("seller")), title="Lamp")
    ann, bob = make_user("ann"), make_user("bob")
    board = do_create_board(ann, name="Light")
    pin, _ = do_pin(ann, board, product_id=product.id, note="warm")
    client = _client(bob)
    page = client.get(f"/boards/{board.id}").content.decode()
    assert "Lamp" in page and "Repin" in page and "Follow board" in page
    mine = wishlist_of(bob)
    client.post(f"/boards/{board.id}/pins/{pin.id}/repin", {"board_id": mine.id})
    assert Pin.objects.filter(board=mine, product=product, note="warm").exists()
    client.post(f"/boards/{board.id}/follow")
    assert "Unfollow board" in client.get(f"/boards/{board.id}").content.decode()


def test_my_boards_creates_a_board(make_user):
    client = _client(make_user("ann"))
    response = client.post("/boards", {"name": "Gifts", "private": "1"})
    assert response.status_code == 302
    page = client.get("/boards").content.decode()
    assert "Gifts" in page and "Wishlist" in page


def _fill(owner, board, n, shop, media_owner):
    for i in range(n):
        do_pin(owner, board, product_id=make_product(shop, title=f"P{i}").id)
        do_pin(owner, board, status_id=do_create_status(media_owner, f"post {i}").id)


def test_board_page_costs_the_same_queries_whatever_the_number_of_pins(make_user):
    shop = make_shop(make_user("seller"))
    ann, author = make_user("ann"), make_user("dan")
    small, big = do_create_board(ann, name="Small"), do_create_board(ann, name="Big")
    _fill(ann, small, 1, shop, author)
    _fill(ann, big, 12, shop, author)
    client = _client(make_user("viewer"))
    client.get(f"/boards/{small.id}")  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/boards/{small.id}").status_code == 200
    with CaptureQueriesContext(connection) as many:
        page = client.get(f"/boards/{big.id}")
    assert page.status_code == 200 and page.content.decode().count('class="pin"') == 24
    assert len(many) == len(few) <= 12, [q["sql"] for q in many.captured_queries]


def test_pages_speak_simplified_chinese(make_user):
    ann = make_user("ann")
    wishlist = wishlist_of(ann)
    page = _client(ann).get(f"/boards/{wishlist.id}", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "心愿单" in page and "私密" in page


def test_save_widget_saves_a_post_too(make_user):
    status = do_create_status(make_user("dan"), "a fine teapot")
    ann = make_user("ann")
    response = _client(ann).post(
        "/boards/save", {"status_id": status.id, "board_id": wishlist_of(ann).id}, headers=HX
    )
    assert "Saved to" in response.content.decode()
    assert Pin.objects.get().status_id == status.id


def test_save_without_javascript_lands_on_the_board(make_user):
    product = make_product(make_shop(make_user("seller")))
    ann = make_user("ann")
    wishlist = wishlist_of(ann)
    response = _client(ann).post("/boards/save", {"product_id": product.id, "board_id": wishlist.id})
    assert response.status_code == 302 and response["Location"] == f"/boards/{wishlist.id}"
