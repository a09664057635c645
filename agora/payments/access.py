"""Reads of payments that check who asks."""

from __future__ import annotations

from agora.accounts.models import User
from agora.core.errors import NotFound
from agora.payments.models import Payment


def access_payment(user: User, payment_id: int, *, lock: bool = False) -> Payment:
    """A payment for its payer (or staff); anyone else's reads as missing."""
    qs = Payment.objects.filter(id=payment_id)
    if lock:
        qs = qs.select_for_update()
    payment = qs.first()
    if payment is None or not user.is_authenticated or (payment.payer_id != user.id and not user.is_staff):
        raise NotFound("No such payment.")
    return payment
