"""Order writes: addresses, and the lifecycle after checkout (cancel, ship, confirm, refunds).
Checkout itself is in checkout.py; the timed expiry and auto-confirmation in sweep.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from agora.accounts.models import User
from agora.catalog.actions import return_stock
from agora.core.errors import Forbidden, Invalid
from agora.core.money import parse_money
from agora.orders.access import access_order
from agora.orders.models import ADDRESS_FIELDS, Address, Order
from agora.orders.state import transition

# --- addresses ------------------------------------------------------------------------------------
REQUIRED = ("recipient", "phone", "city", "street")
LIMITS = {"street": 200, "phone": 30, "postal_code": 20}


def check_address(fields: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name in ADDRESS_FIELDS:
        if name not in fields or fields[name] is None:
            if not partial and name in REQUIRED:
                raise Invalid(f"{name} is required.", code="invalid_address", field=name)
            continue
        value = str(fields[name]).strip()
        if name in REQUIRED and not value:
            raise Invalid(f"{name} is required.", code="invalid_address", field=name)
        if len(value) > LIMITS.get(name, 60):
            raise Invalid(f"{name} is too long.", code="invalid_address", field=name)
        clean[name] = value
    return clean


def _make_default(user: User, address: Address) -> None:
    Address.objects.filter(user=user, is_default=True).exclude(id=address.id).update(is_default=False)
    Address.objects.filter(id=address.id).update(is_default=True)
    address.is_default = True


def do_create_address(user: User, *, is_default: bool = False, **fields: Any) -> Address:
    clean = check_address(fields, partial=False)
    with transaction.atomic():
        first = not Address.objects.filter(user=user).exists()
        address = Address.objects.create(user=user, **clean)
        if is_default or first:
            _make_default(user, address)
    return address


def do_update_address(
    user: User, address: Address, *, is_default: bool | None = None, **fields: Any
) -> Address:
    clean = check_address(fields, partial=True)
    with transaction.atomic():
        for key, value in clean.items():
            setattr(address, key, value)
        if clean:
            address.save(update_fields=list(clean))
        if is_default:
            _make_default(user, address)
    return address


def do_delete_address(user: User, address: Address) -> None:
    with transaction.atomic():
        was_default = address.is_default
        address.delete()
        if was_default:
            nxt = Address.objects.filter(user=user).order_by("-id").first()
            if nxt:
                _make_default(user, nxt)


# --- the lifecycle --------------------------------------------------------------------------------
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


def _return_stock(order: Order) -> None:
    return_stock((ln.variant_id, ln.quantity) for ln in order.lines.all() if ln.variant_id)


def do_cancel_order(actor: User, order_id: int) -> Order:
    with transaction.atomic():
        order = _lock_as_buyer(actor, order_id)
        transition(order, "cancel", actor=actor)
        _return_stock(order)
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
    # The escrow goes to the shop in the transition's hook (agora/payments/apps.py).
    with transaction.atomic():
        order = _lock_as_buyer(actor, order_id)
        transition(order, "confirm_receipt", actor=actor)
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
    # The refund is split between buyer and shop in the transition's hook (agora/payments/apps.py).
    with transaction.atomic():
        order = _lock_as_seller(actor, order_id)
        transition(order, "approve_refund", actor=actor)
        if order.shipped_at is None:  # nothing left the warehouse: the units are sellable again
            _return_stock(order)
    return order


def do_refuse_refund(actor: User, order_id: int, *, note: str = "") -> Order:
    with transaction.atomic():
        order = _lock_as_seller(actor, order_id)
        transition(order, "refuse_refund", actor=actor, note=note.strip()[:1000])
    return order
