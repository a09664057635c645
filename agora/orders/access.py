"""Reads of orders and addresses that check who asks: anyone else's reads as missing."""

from __future__ import annotations

from django.utils import timezone

from agora.accounts.models import User
from agora.core.errors import NotFound
from agora.orders.models import ADDRESS_FIELDS, Address, Order, OrderLine, OrderStatus
from agora.orders.sweep import expire_order


def access_order(user: User, order_id: int, *, lock: bool = False) -> Order:
    """The order for its buyer, its shop's owner or staff; 404 for everyone else, as if it did not exist.

    An unpaid order past its pay-by time is expired here first, so nobody sees (or pays) a stale one
    even when no sweeper has run yet."""
    qs = Order.objects.select_related("shop", "shop__owner", "buyer")
    if lock:
        qs = qs.select_for_update(of=("self",))
    order = qs.filter(id=order_id).first()
    if (
        order is None
        or not user.is_authenticated
        or not (order.buyer_id == user.id or order.shop.owner_id == user.id or user.is_staff)
    ):
        raise NotFound("No such order.")
    if order.status == OrderStatus.AWAITING_PAYMENT and order.pay_by < timezone.now():
        expire_order(order.id)
        order.refresh_from_db(fields=["status"])
    return order


def access_order_line(user: User, line_id: int) -> OrderLine:
    """A line of one of the user's own purchases, with its order (what a review is written about)."""
    line = (
        OrderLine.objects.select_related("order", "order__shop")
        .filter(id=line_id, order__buyer_id=user.id)
        .first()
    )
    if line is None:
        raise NotFound("No such order line.")
    return line


def access_address(user: User, address_id: int, *, lock: bool = False) -> Address:
    qs = Address.objects.filter(id=address_id, user_id=user.id).only("id", "is_default", *ADDRESS_FIELDS)
    if lock:
        qs = qs.select_for_update()
    address = qs.first()
    if address is None:
        raise NotFound("No such address.")
    return address
