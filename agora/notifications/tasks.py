"""Notifications queued by other apps after their transaction commits. Take ids, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from agora.core.events import BatchedTask
from agora.notifications.actions import do_notify_market


@shared_task(name="notifications.notify_market")
def record_market_notifications(kind: str, rows: list[list[int]]) -> None:
    """`kind` (an agora.* type) for each (recipient id, actor id, order id, source id) row."""
    do_notify_market([(kind, rows)])


# What the market queues: `after_commit(notify_market, kind, rows)`. Checkout queues one a checkout,
# so it must cost one Redis call, not a Celery message (agora/core/events.py, BatchedTask); a batch of
# calls is one INSERT, in the order they were made.
notify_market = BatchedTask(record_market_notifications, run_many=do_notify_market, window=1.0)
