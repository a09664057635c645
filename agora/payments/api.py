from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from agora.api.auth import token
from agora.core.schema import IdStr
from agora.payments.access import access_payment
from agora.payments.actions import do_sandbox_outcome, do_start_payment, receive_notification
from agora.payments.serializers import payment_json

router = Router(tags=["payments"])


class StartPaymentIn(Schema):
    # Other unpaid orders of the same buyer to pay together with this one (e.g. one checkout's orders).
    also_order_ids: list[IdStr] = Field(default_factory=list)
    gateway: Literal["sandbox"] = "sandbox"


class SandboxIn(Schema):
    outcome: Literal["succeeded", "failed"]


@router.post("/v1/payments/callback/{gateway}", response=dict)
def gateway_callback(request: HttpRequest, gateway: str):
    """Where a gateway notifies Agora of a payment's outcome; verified by signature, not by token."""
    return {"result": receive_notification(gateway, request.body, dict(request.headers))}


@router.post("/v1/orders/{order_id}/payments", auth=token("write:orders"), response={201: dict})
def start_payment(request: HttpRequest, order_id: int, body: StartPaymentIn | None = None):
    """Start a payment. With an Idempotency-Key, a repeat answers with the payment the key started."""
    body = body or StartPaymentIn()
    payment = do_start_payment(
        request.user,  # type: ignore[arg-type]
        [order_id, *body.also_order_ids],
        gateway=body.gateway,
        idempotency_key=request.META.get("HTTP_IDEMPOTENCY_KEY"),
    )
    return Status(201, payment_json(payment))


@router.get("/v1/payments/{payment_id}", auth=token("read:orders"), response=dict)
def get_payment(request: HttpRequest, payment_id: int):
    return payment_json(access_payment(request.user, payment_id))  # type: ignore[arg-type]


@router.post("/v1/payments/{payment_id}/sandbox", auth=token("write:orders"), response=dict)
def sandbox_outcome(request: HttpRequest, payment_id: int, body: SandboxIn):
    """SANDBOX ONLY: act as the test provider and notify Agora that the payment succeeded or failed."""
    result = do_sandbox_outcome(request.user, payment_id, body.outcome)  # type: ignore[arg-type]
    payment = access_payment(request.user, payment_id)  # type: ignore[arg-type]
    return {"result": result, "payment": payment_json(payment)}
