"""Both checkouts (the fast path and its ORM twin) write the shops' notices to the outbox in the
checkout's own transaction: a process that dies after the commit, before publishing them, loses none
(agora/core/outbox.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from agora.catalog.testing import first_variant, make_product
from agora.core import outbox
from agora.core.models import OutboxMessage
from agora.notifications.models import Notification
from agora.orders.checkout import Wanted, place_orders
from agora.orders.events import ORDER_PLACED
from agora.orders.testing import make_address
from agora.shops.testing import make_shop


class ProcessDied(Exception):
    pass


def _die() -> None:
    raise ProcessDied  # an earlier on-commit hook that raises: Django runs none after it


@pytest.mark.django_db(transaction=True)
def test_a_checkout_whose_process_died_after_the_commit_tells_each_shop_once(make_user, both_paths):
    # given a checkout across two shops, committed by a process that died before publishing
    sellers = [make_user(f"seller{i}") for i in range(2)]
    products = [make_product(make_shop(s), price="10.00", stock=3) for s in sellers]
    buyer = make_user("buyer")
    address = make_address(buyer)
    with pytest.raises(ProcessDied), transaction.atomic():
        transaction.on_commit(_die)
        placed = place_orders(
            buyer, address_id=address.id, items=[Wanted(first_variant(p).id, 1) for p in products]
        )
    # then the orders are there, and their notices one outbox row, the same on both paths
    assert Notification.objects.count() == 0
    row = OutboxMessage.objects.get()
    assert row.calls == [
        [
            "batched:notifications.notify_market",
            [ORDER_PLACED, [[p.order.shop.owner_id, buyer.id, p.order.id, p.order.id] for p in placed]],
            {},
        ]
    ]
    # when the sweep comes: each seller is told once, and again changes nothing
    later = timezone.now() + timedelta(seconds=outbox.SWEEP_AFTER + 1)
    assert outbox.sweep(now=later) == 1
    OutboxMessage.objects.create(id=row.id, calls=row.calls)
    assert outbox.sweep(now=later) == 1
    told = Notification.objects.filter(type=ORDER_PLACED).values_list("recipient_id", flat=True)
    assert sorted(told) == sorted(s.id for s in sellers)
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_checkout_relays_its_notices_and_leaves_no_row(make_user, both_paths):
    seller, buyer = make_user("seller"), make_user("buyer")
    product = make_product(make_shop(seller), price="10.00", stock=3)
    place_orders(buyer, address_id=make_address(buyer).id, items=[Wanted(first_variant(product).id, 1)])
    assert Notification.objects.filter(recipient=seller, type=ORDER_PLACED).count() == 1
    assert OutboxMessage.objects.count() == 0
