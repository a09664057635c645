"""Response shapes of the payment endpoints, as agora/payments/serializers.py writes them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from agora.core.schema import IdStr, Money, Out

NotificationResult = Literal["captured", "failed", "duplicate", "already_succeeded", "already_failed"]


class PaymentOut(Out):
    id: IdStr
    status: Literal["pending", "succeeded", "failed"]
    amount: Money
    currency: str
    gateway: str
    gateway_label: str
    order_ids: list[IdStr]
    pay_url: str
    created_at: datetime


class CallbackOut(Out):
    result: NotificationResult


class SandboxOutcomeOut(Out):
    result: NotificationResult
    payment: PaymentOut
