"""The order lifecycle: one table of legal transitions and one function that applies them, which also
queues the buyer's or the seller's notification of the steps they are told about (NOTIFY).

Apps above orders act on a transition through a hook registered here at start-up, run by transition()
inside the caller's transaction: payments moves the money (agora/payments/apps.py), so orders never
import payments."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from agora.accounts.models import User
from agora.core.errors import Conflict
from agora.orders.events import (
    MARKET_NOTICE,
    ORDER_PAID,
    ORDER_SHIPPED,
    REFUND_APPROVED,
    REFUND_REFUSED,
    REFUND_REQUESTED,
)
from agora.orders.models import Order, OrderEvent
from agora.orders.models import OrderStatus as S
from agora.orders.timing import auto_confirm_window

# (current status, event) -> new status
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.AWAITING_PAYMENT, "pay"): S.PAID,
    (S.AWAITING_PAYMENT, "cancel"): S.CANCELLED,
    (S.AWAITING_PAYMENT, "expire"): S.CANCELLED,
    (S.PAID, "ship"): S.SHIPPED,
    (S.PAID, "request_refund"): S.REFUND_REQUESTED,
    (S.SHIPPED, "confirm_receipt"): S.COMPLETED,
    (S.SHIPPED, "auto_confirm"): S.COMPLETED,
    (S.SHIPPED, "request_refund"): S.REFUND_REQUESTED,
    (S.REFUND_REQUESTED, "approve_refund"): S.REFUNDED,
    (S.REFUND_REQUESTED, "refuse_refund"): S.REFUND_REFUSED,
    # After a refused refund the order carries on: shipped if it was not yet, then received.
    (S.REFUND_REFUSED, "ship"): S.SHIPPED,
    (S.REFUND_REFUSED, "confirm_receipt"): S.COMPLETED,
    (S.REFUND_REFUSED, "auto_confirm"): S.COMPLETED,
}

EVENT_VERBS = {
    "pay": "pay",
    "cancel": "cancel",
    "expire": "expire",
    "ship": "ship",
    "confirm_receipt": "confirm receipt of",
    "auto_confirm": "confirm",
    "request_refund": "request a refund for",
    "approve_refund": "approve a refund for",
    "refuse_refund": "refuse a refund for",
}


# event -> (the notification, who is told). Placing an order is told by checkout (agora/orders/checkout.py),
# which writes its orders without this function.
NOTIFY: dict[str, tuple[str, str]] = {
    "pay": (ORDER_PAID, "seller"),
    "ship": (ORDER_SHIPPED, "buyer"),
    "request_refund": (REFUND_REQUESTED, "seller"),
    "approve_refund": (REFUND_APPROVED, "buyer"),
    "refuse_refund": (REFUND_REFUSED, "buyer"),
}

Hook = Callable[[Order], None]
_hooks: dict[str, list[Hook]] = {}


def on_transition(*events: str, run: Hook) -> None:
    """Run `run(order)` after each of these events, in the transition's transaction (an error in it
    undoes the transition). Registering the same function twice keeps one."""
    for event in events:
        if event not in EVENT_VERBS:
            raise ValueError(f"No order event {event!r}.")
        hooks = _hooks.setdefault(event, [])
        if run not in hooks:
            hooks.append(run)


def can(order: Order, event: str) -> bool:
    return (order.status, event) in TRANSITIONS


def transition(order: Order, event: str, *, actor: User | None, note: str = "") -> Order:
    """Move a locked order to its next state and write the audit row; 409 if the move is illegal."""
    new = TRANSITIONS.get((order.status, event))
    if new is None:
        raise Conflict(
            f"Cannot {EVENT_VERBS.get(event, event)} an order that is {order.status.replace('_', ' ')}.",
            code="illegal_transition",
            status_now=order.status,
        )
    now = timezone.now()
    old = order.status
    order.status = new
    fields = ["status"]
    if event == "pay":
        order.paid_at = now
        fields.append("paid_at")
    elif event == "ship":
        order.shipped_at = now
        order.auto_confirm_at = now + auto_confirm_window()
        fields += ["shipped_at", "auto_confirm_at"]
    elif new == S.COMPLETED:
        order.completed_at = now
        fields.append("completed_at")
    # Guarded on the old status too, so a caller that forgot the row lock cannot apply a move twice.
    updated = Order.objects.filter(id=order.id, status=old).update(**{f: getattr(order, f) for f in fields})
    if updated != 1:
        raise Conflict("The order changed meanwhile; try again.", code="order_changed")
    audit = OrderEvent.objects.create(
        order=order, from_status=old, to_status=new, event=event, actor=actor, note=note
    )
    for hook in _hooks.get(event, ()):
        hook(order)
    if event in NOTIFY:
        kind, told = NOTIFY[event]
        seller, buyer = order.shop.owner_id, order.buyer_id
        recipient, other = (seller, buyer) if told == "seller" else (buyer, seller)
        actor_id = actor.id if actor is not None else other
        MARKET_NOTICE.publish(kind, [[recipient, actor_id, order.id, audit.id]])
    return order
