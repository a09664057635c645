"""The boards' tasks run twice tell each wisher once: a worker that dies mid-task has its task run
again (docs/architecture.md, "Background work survives a dead worker"). price_dropped twice is in
test_wished_news.py."""

from __future__ import annotations

from agora.boards.actions import do_pin
from agora.boards.selectors import wishlist_of
from agora.boards.tasks import back_in_stock
from agora.catalog.testing import make_product
from agora.notifications.models import Notification
from agora.shops.testing import make_shop


def test_back_in_stock_twice_tells_each_wisher_once(make_user):
    seller, fan, friend = make_user("seller"), make_user("fan"), make_user("friend")
    item = make_product(make_shop(seller), title="Tea set", stock=0)
    for wisher in (fan, friend):
        do_pin(wisher, wishlist_of(wisher), product_id=item.id)
    for _ in range(2):
        back_in_stock(item.id, 4242)  # the same change (its source id), handled twice
    assert sorted(Notification.objects.values_list("recipient__username", "type")) == [
        ("fan", "agora.back_in_stock"),
        ("friend", "agora.back_in_stock"),
    ]
