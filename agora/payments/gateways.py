"""Payment gateways. A gateway says where the buyer pays and verifies the provider's notifications.

Only the SANDBOX gateway ships: it moves no real money and exists for development, demos and tests.
A real provider (Alipay, WeChat Pay ...) would implement the same two methods; its notifications
arrive at the same callback endpoint, POST /api/v1/payments/callback/<gateway>.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings

from agora.core.errors import Conflict, Invalid, NotFound, Unauthorized
from agora.core.ids import new_id
from agora.payments.models import Payment

SIGNATURE_HEADER = "X-Agora-Signature"


@dataclass(frozen=True)
class Notice:
    payment_id: int
    event_id: str
    outcome: str  # "succeeded" | "failed"
    amount: Decimal
    currency: str


class Gateway(Protocol):
    name: str
    label: str

    def pay_url(self, payment: Payment) -> str: ...

    def verify(self, body: bytes, headers: dict[str, str]) -> Notice: ...


class SandboxGateway:
    name = "sandbox"
    label = "Sandbox gateway: test payments only, no real money moves"

    def _key(self) -> bytes:
        # Derived from the site secret, so nobody without it can forge a "paid" notification: never
        # the public development default, but AGORA_SECRET_KEY or this install's own key
        # (agora/config.py signing_key).
        return hashlib.sha256(f"agora-sandbox-gateway:{settings.SECRET_KEY}".encode()).digest()

    def sign(self, body: bytes) -> str:
        return hmac.new(self._key(), body, hashlib.sha256).hexdigest()

    def pay_url(self, payment: Payment) -> str:
        return f"/pay/sandbox/{payment.id}"

    def notification(
        self, payment: Payment, outcome: str, *, event_id: str | None = None
    ) -> tuple[bytes, str]:
        """The body and signature the sandbox 'provider' sends to the callback endpoint."""
        body = json.dumps(
            {
                "event_id": event_id or f"sbx_{new_id()}",
                "payment_id": str(payment.id),
                "outcome": outcome,
                "amount": str(payment.amount),
                "currency": payment.currency,
            },
            sort_keys=True,
        ).encode()
        return body, self.sign(body)

    def verify(self, body: bytes, headers: dict[str, str]) -> Notice:
        signature = headers.get(SIGNATURE_HEADER, "")
        if not signature or not hmac.compare_digest(signature, self.sign(body)):
            raise Unauthorized("The notification's signature does not verify.", code="bad_signature")
        try:
            data = json.loads(body)
            notice = Notice(
                payment_id=int(data["payment_id"]),
                event_id=str(data["event_id"]),
                outcome=str(data["outcome"]),
                amount=Decimal(str(data["amount"])),
                currency=str(data["currency"]),
            )
        except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
            raise Invalid("The notification is malformed.", code="bad_notification") from exc
        if notice.outcome not in ("succeeded", "failed"):
            raise Invalid("Unknown outcome.", code="bad_notification")
        return notice


GATEWAYS: dict[str, Gateway] = {"sandbox": SandboxGateway()}


def get_gateway(name: str) -> Gateway:
    gateway = GATEWAYS.get(name)
    if gateway is None:
        raise NotFound(f"No payment gateway named {name!r}.")
    return gateway


def check_gateway_enabled(name: str) -> None:
    # Payments already made through the sandbox stay readable; only new sandbox payments are refused.
    if name == "sandbox" and not settings.AGORA.payment_sandbox:
        raise Conflict(
            "The sandbox payment gateway is switched off on this site (AGORA_PAYMENT_SANDBOX).",
            code="gateway_unavailable",
        )


def sandbox() -> SandboxGateway:
    check_gateway_enabled("sandbox")
    gateway = GATEWAYS["sandbox"]
    assert isinstance(gateway, SandboxGateway)
    return gateway
