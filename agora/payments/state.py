"""The payment lifecycle: one table of legal transitions and one function that applies them, with an
audit row (PaymentEvent) each, as orders have (agora/orders/state.py).

A payment is created pending (audit event "create") and settles once, by the gateway's verified
notification: succeeded or failed. A notification for a settled payment changes nothing
(receive_notification answers "already_<status>", so the gateway stops retrying); any other attempt to
move a settled payment is 409 illegal_transition.

Refunds have no lifecycle of their own here: the order carries it (refund_requested -> refunded or
refund_refused, with OrderEvent rows) and the ledger's "refund" movement moves the money.
"""

from __future__ import annotations

from django.utils import timezone

from agora.accounts.models import User
from agora.core.errors import Conflict
from agora.payments.models import Payment, PaymentEvent
from agora.payments.models import PaymentStatus as S

# (current status, event) -> new status
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PENDING, "succeed"): S.SUCCEEDED,
    (S.PENDING, "fail"): S.FAILED,
}

EVENT_VERBS = {"succeed": "complete", "fail": "fail"}


def can(payment: Payment, event: str) -> bool:
    return (payment.status, event) in TRANSITIONS


def record_created(payment: Payment, *, actor: User | None) -> PaymentEvent:
    """The audit row of a new (pending) payment."""
    return PaymentEvent.objects.create(
        payment=payment, from_status="", to_status=payment.status, event="create", actor=actor
    )


def transition(payment: Payment, event: str, *, actor: User | None, note: str = "") -> PaymentEvent:
    """Move a locked payment to its next state and write the audit row; 409 if the move is illegal."""
    new = TRANSITIONS.get((payment.status, event))
    if new is None:
        raise Conflict(
            f"Cannot {EVENT_VERBS.get(event, event)} a payment that is {payment.status}.",
            code="illegal_transition",
            status_now=payment.status,
        )
    old = payment.status
    payment.status = new
    payment.completed_at = timezone.now()
    # Guarded on the old status too, so a caller that forgot the row lock cannot apply a move twice.
    updated = Payment.objects.filter(id=payment.id, status=old).update(
        status=new, completed_at=payment.completed_at
    )
    if updated != 1:
        raise Conflict("The payment changed meanwhile; try again.", code="payment_changed")
    return PaymentEvent.objects.create(
        payment=payment, from_status=old, to_status=new, event=event, actor=actor, note=note
    )
