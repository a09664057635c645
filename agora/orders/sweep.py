"""Expiring unpaid orders and auto-confirming shipped ones, with no manual step in either profile.

Production: Celery beat runs the tasks in orders/tasks.py every minute. Embedded profile (no broker,
no beat): market requests call `maybe_sweep()`, which runs the same sweep at most once a minute
(a cache key guards it), and access_order() expires an overdue order the moment anyone looks at it."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from agora.catalog.actions import return_stock
from agora.orders.models import Order, OrderStatus
from agora.orders.state import transition

BATCH = 200
SWEEP_KEY = "market:sweep"


def expire_order(order_id: int) -> bool:
    """Cancel an unpaid order past its pay-by time and return its stock. Idempotent; True if it did."""
    with transaction.atomic():
        order = (
            Order.objects.select_for_update()
            .filter(id=order_id, status=OrderStatus.AWAITING_PAYMENT, pay_by__lt=timezone.now())
            .first()
        )
        if order is None:
            return False
        transition(order, "expire", actor=None, note="Not paid in time.")
        return_stock((ln.variant_id, ln.quantity) for ln in order.lines.all() if ln.variant_id)
    return True


def auto_confirm_order(order_id: int) -> bool:
    """Complete a shipped order nobody confirmed in time (the escrow is released by the transition's
    hook, agora/payments/apps.py). Idempotent; True if it did."""
    with transaction.atomic():
        order = (
            Order.objects.select_for_update()
            .filter(
                id=order_id,
                status__in=[OrderStatus.SHIPPED, OrderStatus.REFUND_REFUSED],
                auto_confirm_at__lt=timezone.now(),
            )
            .first()
        )
        if order is None:
            return False
        transition(order, "auto_confirm", actor=None, note="Confirmed automatically.")
    return True


def expire_overdue_orders(limit: int = BATCH) -> int:
    ids = list(
        Order.objects.filter(status=OrderStatus.AWAITING_PAYMENT, pay_by__lt=timezone.now())
        .order_by("pay_by")
        .values_list("id", flat=True)[:limit]
    )
    return sum(expire_order(i) for i in ids)


def auto_confirm_orders(limit: int = BATCH) -> int:
    ids = list(
        Order.objects.filter(
            status__in=[OrderStatus.SHIPPED, OrderStatus.REFUND_REFUSED], auto_confirm_at__lt=timezone.now()
        )
        .order_by("auto_confirm_at")
        .values_list("id", flat=True)[:limit]
    )
    return sum(auto_confirm_order(i) for i in ids)


_last_check = {"at": 0.0}


def maybe_sweep() -> None:
    # A process-local clock first, so a hot path (a flash sale's checkouts) costs no cache round trip
    # per request; the shared cache key then lets one process in the deployment do the sweep.
    now = time.monotonic()
    if now - _last_check["at"] < 60:
        return
    _last_check["at"] = now
    if cache.add(SWEEP_KEY, 1, timeout=60):
        expire_overdue_orders()
        auto_confirm_orders()
