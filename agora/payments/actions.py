from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction

from agora.accounts.models import User
from agora.catalog.actions import add_sales
from agora.core.errors import Conflict, Forbidden, Invalid, NotFound
from agora.orders.access import access_order
from agora.orders.models import Order, OrderStatus
from agora.orders.placing import normalise_key
from agora.orders.state import transition
from agora.payments import ledger
from agora.payments.access import access_payment
from agora.payments.gateways import SIGNATURE_HEADER, check_gateway_enabled, get_gateway, sandbox
from agora.payments.models import Payment, PaymentNotification, PaymentStatus
from agora.payments.state import can, record_created
from agora.payments.state import transition as payment_transition


def do_start_payment(
    buyer: User,
    order_ids: Sequence[int],
    *,
    gateway: str = "sandbox",
    idempotency_key: str | None = None,
) -> Payment:
    """One payment for one or more of the buyer's unpaid orders (e.g. every order of one checkout).

    With an Idempotency-Key, a repeat (a retry after a lost response, a double click) gets the payment
    the key started, whatever happened to it since (paid, failed), instead of a second pending one;
    the key with other orders is refused. The key is stored with the payment, in its transaction, so
    a process that dies after the commit leaves nothing for a retry to do twice."""
    key = normalise_key(idempotency_key)
    if key and (prior := _prior_payment(buyer, key, order_ids)) is not None:
        return prior
    gw = get_gateway(gateway)
    check_gateway_enabled(gateway)
    if not order_ids or len(order_ids) > 50:
        raise Invalid("Pay for 1 to 50 orders at once.", code="invalid_orders")
    orders = [access_order(buyer, i) for i in dict.fromkeys(order_ids)]
    for order in orders:
        if order.buyer_id != buyer.id:
            raise Forbidden("Only the buyer pays for an order.", code="not_buyer")
        if order.status != OrderStatus.AWAITING_PAYMENT:
            raise Conflict(
                f"Order {order.id} is {order.status.replace('_', ' ')}, not awaiting payment.",
                code="illegal_transition",
                order_id=str(order.id),
            )
    if len({o.currency for o in orders}) != 1:
        raise Invalid("Orders in one payment must share a currency.", code="mixed_currency")
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                payer=buyer,
                gateway=gw.name,
                currency=orders[0].currency,
                amount=sum((o.total for o in orders), Decimal("0.00")),
                idempotency_key=key,
            )
            payment.orders.set(orders)
            record_created(payment, actor=buyer)
    except IntegrityError:
        if key and (prior := _prior_payment(buyer, key, order_ids)) is not None:
            return prior  # a concurrent request with the same key committed first
        raise
    return payment


def _prior_payment(buyer: User, key: str, order_ids: Sequence[int]) -> Payment | None:
    payment = Payment.objects.filter(payer=buyer, idempotency_key=key).first()
    if payment is None:
        return None
    if set(payment.orders.values_list("id", flat=True)) != {int(i) for i in order_ids}:
        raise Invalid(
            "This Idempotency-Key started a payment for other orders; use a new key.",
            code="idempotency_key_reused",
        )
    return payment


def receive_notification(gateway_name: str, body: bytes, headers: dict[str, str]) -> str:
    """Apply a gateway's notification once. Verified by HMAC; repeats and concurrent copies are no-ops:
    the payment row is locked, the event id is unique, and only a pending payment can be captured."""
    notice = get_gateway(gateway_name).verify(body, headers)
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update().filter(id=notice.payment_id, gateway=gateway_name).first()
        )
        if payment is None:
            raise NotFound("No such payment.")
        try:
            with transaction.atomic():
                PaymentNotification.objects.create(
                    payment=payment,
                    gateway=gateway_name,
                    event_id=notice.event_id,
                    outcome=notice.outcome,
                    body=body.decode(errors="replace"),
                )
        except IntegrityError:
            return "duplicate"
        event = "succeed" if notice.outcome == "succeeded" else "fail"
        if not can(payment, event):  # settled already: a late or repeated outcome changes nothing
            return f"already_{payment.status}"
        if event == "succeed" and (notice.amount != payment.amount or notice.currency != payment.currency):
            raise Invalid("The notified amount does not match the payment.", code="amount_mismatch")
        payment_transition(payment, event, actor=None, note=f"{gateway_name} {notice.event_id}")
        if payment.status == PaymentStatus.FAILED:
            return "failed"
        orders = list(
            Order.objects.select_for_update(of=("self",))
            .filter(payments=payment)
            .select_related("shop")  # the seller is told of the payment
            .prefetch_related("lines")
            .order_by("id")
        )
        for order in orders:
            if order.status == OrderStatus.AWAITING_PAYMENT:
                transition(order, "pay", actor=payment.payer, note=f"payment {payment.id}")
                ledger.record_capture(order, payment)
                add_sales((ln.product_id, ln.quantity) for ln in order.lines.all() if ln.product_id)
            else:
                # Paid too late (expired or cancelled meanwhile): the money goes straight back.
                ledger.record_return(payment, order.total)
    return "captured"


def do_sandbox_outcome(user: User, payment_id: int, outcome: str) -> str:
    """The sandbox provider's side: sign a notification and deliver it to the callback handler."""
    if outcome not in ("succeeded", "failed"):
        raise Invalid("outcome is 'succeeded' or 'failed'.", code="invalid_outcome")
    payment = access_payment(user, payment_id)
    if payment.gateway != "sandbox":
        raise Invalid("This payment does not go through the sandbox.", code="not_sandbox")
    body, signature = sandbox().notification(payment, outcome)
    return receive_notification("sandbox", body, {SIGNATURE_HEADER: signature})
