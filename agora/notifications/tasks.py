"""Notifications queued by other apps after their transaction commits. Take ids, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from agora.notifications.actions import do_notify_market


@shared_task(name="notifications.notify_market")
def notify_market(kind: str, rows: list[list[int]]) -> None:
    """`kind` (an agora.* type) for each (recipient id, actor id, order id, source id) row.

    One task per market write, however many orders it made: cheap to queue on checkout's hot path."""
    do_notify_market(kind, rows)
