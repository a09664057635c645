from __future__ import annotations

from typing import Any

from agora.accounts.serializers import absolute
from agora.core.money import money_str
from agora.payments.gateways import get_gateway
from agora.payments.models import LedgerEntry, Payment


def payment_json(payment: Payment) -> dict[str, Any]:
    gateway = get_gateway(payment.gateway)
    return {
        "id": str(payment.id),
        "status": payment.status,
        "amount": money_str(payment.amount),
        "currency": payment.currency,
        "gateway": payment.gateway,
        "gateway_label": gateway.label,
        "order_ids": [str(i) for i in payment.orders.values_list("id", flat=True)],
        "pay_url": absolute(gateway.pay_url(payment)),
        "created_at": payment.created_at.isoformat(),
    }


def ledger_entry_json(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "id": str(entry.id),
        "movement": str(entry.movement),
        "kind": entry.kind,
        "account": entry.account,
        "amount": money_str(entry.amount),
        "currency": entry.currency,
        "order_id": str(entry.order_id) if entry.order_id else None,
        "created_at": entry.created_at.isoformat(),
    }
