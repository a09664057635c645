"""Order lifecycle writes: cancel, expire, ship, confirm, refunds. Checkout is in checkout.py."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agora.accounts.models import User
from agora.catalog.models import Variant
from agora.core.errors import Forbidden, Invalid, NotFound
from agora.core.money import parse_money
from agora.orders.models import Order, OrderStatus
from agora.orders.state import transition
from agora.payments import ledger


def _is_overdue(order: Order) -> bool:
    return order.status == OrderStatus.AWAITING_PAYMENT and order.pay_by < timezone.now()


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
    if _is_overdue(order):
        expire_order(order.id)
        order.refresh_from_db(fields=["status"])
    return order


def _lock_as_buyer(user: User, order_id: int) -> Order:
    order = access_order(user, order_id, lock=True)
    if order.buyer_id != user.id:
        raise Forbidden("Only the buyer may do this.", code="not_buyer")
    return order


def _lock_as_seller(user: User, order_id: int) -> Order:
    order = access_order(user, order_id, lock=True)
    if order.shop.owner_id != user.id and not user.is_staff:
        raise Forbidden("Only the shop's owner may do this.", code="not_shop_owner")
    return order


def return_stock(order: Order) -> None:
    lines = sorted((ln.variant_id, ln.quantity) for ln in order.lines.all() if ln.variant_id)
    for variant_id, quantity in lines:  # variant-id order, as checkout takes them
        Variant.objects.filter(id=variant_id).update(stock=F("stock") + quantity)


def expire_order(order_id: int) -> bool:
    """Cancel an unpaid order past its pay-by time and return its stock. Idempotent; True if it did."""
    with transaction.atomic():
        order = (
            Order.objects.select_for_update()
            .filter(id=order_id, status=OrderStatus.AWAITING_PAYMENT, pay_by__lt=timezone.now())
            .first()
        )
        if order is None:
            return False
        transition(order, "expire", actor=None, note="Not paid in time.")
        return_stock(order)
    return True


def auto_confirm_order(order_id: int) -> bool:
    with transaction.atomic():
        order = (
            Order.objects.select_for_update()
            .filter(
                id=order_id,
                status__in=[OrderStatus.SHIPPED, OrderStatus.REFUND_REFUSED],
                auto_confirm_at__lt=timezone.now(),
            )
            .first()
        )
        if order is None:
            return False
        transition(order, "auto_confirm", actor=None, note="Confirmed automatically.")
        ledger.record_release(order)
    return True


def do_cancel_order(actor: User, order_id: int) -> Order:
    with transaction.atomic():
        order = _lock_as_buyer(actor, order_id)
        transition(order, "cancel", actor=actor)
        return_stock(order)
    return order


def do_ship_order(actor: User, order_id: int, *, carrier: str, tracking_number: str) -> Order:
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not (1 <= len(carrier) <= 60 and 1 <= len(tracking_number) <= 60):
        raise Invalid(
            "Give the carrier and the tracking number (1 to 60 characters each).", code="invalid_shipment"
        )
    with transaction.atomic():
        order = _lock_as_seller(actor, order_id)
        transition(order, "ship", actor=actor, note=f"{carrier} {tracking_number}")
        order.carrier, order.tracking_number = carrier, tracking_number
        order.save(update_fields=["carrier", "tracking_number"])
    return order


def do_confirm_receipt(actor: User, order_id: int) -> Order:
    with transaction.atomic():
        order = _lock_as_buyer(actor, order_id)
        transition(order, "confirm_receipt", actor=actor)
        ledger.record_release(order)
    return order


def do_request_refund(
    actor: User, order_id: int, *, reason: str, amount: Decimal | str | None = None
) -> Order:
    reason = reason.strip()
    if not 1 <= len(reason) <= 1000:
        raise Invalid("Say why you want a refund (1 to 1,000 characters).", code="invalid_reason")
    with transaction.atomic():
        order = _lock_as_buyer(actor, order_id)
        value = order.total if amount in (None, "") else parse_money(amount, field="amount", allow_zero=False)
        if value > order.total:
            raise Invalid(f"The refund cannot exceed the order total {order.total}.", code="invalid_amount")
        transition(order, "request_refund", actor=actor, note=reason)
        order.refund_reason, order.refund_amount = reason, value
        order.save(update_fields=["refund_reason", "refund_amount"])
    return order


def do_approve_refund(actor: User, order_id: int) -> Order:
    with transaction.atomic():
        order = _lock_as_seller(actor, order_id)
        transition(order, "approve_refund", actor=actor)
        ledger.record_refund(order, order.refund_amount if order.refund_amount is not None else order.total)
        if order.shipped_at is None:  # nothing left the warehouse: the units are sellable again
            return_stock(order)
    return order


def do_refuse_refund(actor: User, order_id: int, *, note: str = "") -> Order:
    with transaction.atomic():
        order = _lock_as_seller(actor, order_id)
        transition(order, "refuse_refund", actor=actor, note=note.strip()[:1000])
    return order
