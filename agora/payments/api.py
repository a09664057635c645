from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Status
from pydantic import BaseModel, ConfigDict, Field

from agora.api.auth import token
from agora.api.contract import returns
from agora.api.request import AuthedRequest
from agora.core.schema import ListedId
from agora.payments.access import access_payment
from agora.payments.actions import do_sandbox_outcome, do_start_payment, receive_notification
from agora.payments.gateways import SIGNATURE_HEADER
from agora.payments.schemas import CallbackOut, PaymentOut, SandboxOutcomeOut
from agora.payments.serializers import payment_json

router = Router(tags=["payments"])


class StartPaymentIn(BaseModel):
    model_config = ConfigDict(strict=True)

    # Other unpaid orders of the same buyer to pay together with this one (e.g. one checkout's orders).
    also_order_ids: list[ListedId] = Field(default_factory=list, json_schema_extra={"maxItems": 49})
    gateway: Literal["sandbox"] = "sandbox"


class SandboxIn(BaseModel):
    model_config = ConfigDict(strict=True)

    outcome: Literal["succeeded", "failed"]


# A gateway's notification: its own body, signed. The sandbox gateway's, for the document.
CALLBACK = {
    "parameters": [
        {
            "name": SIGNATURE_HEADER,
            "in": "header",
            "required": True,
            "schema": {"type": "string"},
            "description": "The gateway's signature of the body (the sandbox: HMAC-SHA256, hex)",
        }
    ],
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["event_id", "payment_id", "outcome", "amount", "currency"],
                    "properties": {
                        "event_id": {"type": "string"},
                        "payment_id": {"type": "string"},
                        "outcome": {"type": "string", "enum": ["succeeded", "failed"]},
                        "amount": {"type": "string"},
                        "currency": {"type": "string"},
                    },
                }
            }
        },
    },
}


@router.post(
    "/v1/payments/callback/{gateway}", response=returns(CallbackOut, 401, 404), openapi_extra=CALLBACK
)
def gateway_callback(request: HttpRequest, gateway: str):
    """Where a gateway notifies Agora of a payment's outcome; verified by signature, not by token:
    401 bad_signature when it does not verify."""
    return {"result": receive_notification(gateway, request.body, dict(request.headers))}


@router.post(
    "/v1/orders/{order_id}/payments", auth=token("write:orders"), response=returns({201: PaymentOut})
)
def start_payment(request: AuthedRequest, order_id: int, body: StartPaymentIn | None = None):
    """409 illegal_transition for an order not awaiting payment, gateway_unavailable when the
    sandbox is switched off. With an Idempotency-Key, a repeat answers with the payment the key
    started."""
    body = body or StartPaymentIn()
    payment = do_start_payment(
        request.user,
        [order_id, *body.also_order_ids],
        gateway=body.gateway,
        idempotency_key=request.META.get("HTTP_IDEMPOTENCY_KEY"),
    )
    return Status(201, payment_json(payment))


@router.get("/v1/payments/{payment_id}", auth=token("read:orders"), response=returns(PaymentOut))
def get_payment(request: AuthedRequest, payment_id: int):
    return payment_json(access_payment(request.user, payment_id))


@router.post(
    "/v1/payments/{payment_id}/sandbox", auth=token("write:orders"), response=returns(SandboxOutcomeOut)
)
def sandbox_outcome(request: AuthedRequest, payment_id: int, body: SandboxIn):
    """SANDBOX ONLY: act as the test provider and notify Agora that the payment succeeded or failed."""
    result = do_sandbox_outcome(request.user, payment_id, body.outcome)
    payment = access_payment(request.user, payment_id)
    return {"result": result, "payment": payment_json(payment)}
