"""A wished product's price drop or return to stock tells whoever has it on their Wishlist, once."""

from __future__ import annotations

from django.test import Client

from agora.boards.actions import do_create_board, do_pin
from agora.boards.selectors import wishlist_of
from agora.boards.tasks import price_dropped
from agora.catalog.actions import do_update_product
from agora.catalog.testing import first_variant, make_product
from agora.notifications.models import Notification
from agora.shops.testing import make_shop


def _setup(make_user, **product):
    seller, fan, other = make_user("seller"), make_user("fan"), make_user("other")
    item = make_product(make_shop(seller), title="Tea set", **product)
    do_pin(fan, wishlist_of(fan), product_id=item.id)
    do_pin(other, do_create_board(other, name="Ideas"), product_id=item.id)  # not a Wishlist
    return seller, fan, other, item


def test_a_price_drop_tells_the_wishers_once(make_user, api_client, django_capture_on_commit_callbacks):
    seller, fan, other, item = _setup(make_user, price="100.00")
    variant = first_variant(item)
    # when the seller lowers the price
    with django_capture_on_commit_callbacks(execute=True):
        do_update_product(seller, item, variants=[{"id": variant.id, "price": "80.00"}])
    # then the fan (Wishlist) is told, the other (a plain board) is not
    told = Notification.objects.get()
    assert (told.recipient_id, told.type, told.product_id) == (fan.id, "agora.price_drop", item.id)
    # and the task run again for the same change adds nothing
    price_dropped(item.id, told.source_id)
    assert Notification.objects.count() == 1
    # a raise tells nobody
    with django_capture_on_commit_callbacks(execute=True):
        do_update_product(seller, item, variants=[{"id": variant.id, "price": "90.00"}])
    assert Notification.objects.count() == 1
    # the API lists it to a client that asks for it, with the product
    rows = api_client(fan).get("/api/v1/notifications?types[]=agora.price_drop").json()
    assert rows[0]["product"]["id"] == str(item.id)
    page = Client()
    page.force_login(fan)
    assert "dropped the price of something on your Wishlist" in page.get("/notifications").content.decode()


def test_back_in_stock_tells_the_wishers(make_user, django_capture_on_commit_callbacks):
    seller, fan, _other, item = _setup(make_user, stock=0)
    variant = first_variant(item)
    with django_capture_on_commit_callbacks(execute=True):
        do_update_product(seller, item, variants=[{"id": variant.id, "stock": 5}])
    assert list(Notification.objects.values_list("recipient_id", "type")) == [(fan.id, "agora.back_in_stock")]
