"""Expiring unpaid orders and auto-confirming shipped ones, with no manual step in either profile.

Production: Celery beat runs the tasks in orders/tasks.py every minute. Embedded profile (no broker,
no beat): market requests call `maybe_sweep()`, which runs the same sweep at most once a minute
(a cache key guards it), and access_order() expires an overdue order the moment anyone looks at it."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.utils import timezone

from agora.orders.actions import auto_confirm_order, expire_order
from agora.orders.models import Order, OrderStatus

BATCH = 200
SWEEP_KEY = "market:sweep"


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
