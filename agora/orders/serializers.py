from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from agora.core.money import money_str
from agora.orders.models import Order, OrderEvent, OrderLine
from agora.shops.serializers import shop_json


def order_json(
    order: Order, *, lines: Iterable[OrderLine] | None = None, events: list[OrderEvent] | None = None
) -> dict[str, Any]:
    """`lines` when the caller holds them already (a new order's), else the order's own."""
    data: dict[str, Any] = {
        "id": str(order.id),
        "status": order.status,
        "shop": shop_json(order.shop, full=False),
        "buyer_id": str(order.buyer_id),
        "lines": [
            {
                "id": str(ln.id),
                "variant_id": str(ln.variant_id) if ln.variant_id else None,
                "product_id": str(ln.product_id) if ln.product_id else None,
                "title": ln.title,
                "sku": ln.sku,
                "options": ln.options,
                "quantity": ln.quantity,
                "unit_price": money_str(ln.unit_price),
                "line_total": money_str(ln.line_total),
                "source_status_id": str(ln.source_status_id) if ln.source_status_id else None,
            }
            for ln in (order.lines.all() if lines is None else lines)
        ],
        "subtotal": money_str(order.subtotal),
        "shipping": money_str(order.shipping),
        "discount": money_str(order.discount),
        "total": money_str(order.total),
        "currency": order.currency,
        "address": order.address,
        "created_at": order.created_at.isoformat(),
        "pay_by": order.pay_by.isoformat(),
        "paid_at": order.paid_at.isoformat() if order.paid_at else None,
        "shipped_at": order.shipped_at.isoformat() if order.shipped_at else None,
        "carrier": order.carrier or None,
        "tracking_number": order.tracking_number or None,
        "auto_confirm_at": order.auto_confirm_at.isoformat() if order.auto_confirm_at else None,
        "completed_at": order.completed_at.isoformat() if order.completed_at else None,
        "refund": {"reason": order.refund_reason, "amount": money_str(order.refund_amount)}
        if order.refund_amount is not None
        else None,
    }
    if events is not None:
        data["history"] = [
            {
                "from": e.from_status or None,
                "to": e.to_status,
                "event": e.event,
                "note": e.note,
                "actor_id": str(e.actor_id) if e.actor_id else None,
                "at": e.created_at.isoformat(),
            }
            for e in events
        ]
    return data
