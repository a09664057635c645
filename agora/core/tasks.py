"""Core's timed work: the transactional outbox's sweep (agora/core/outbox.py), run by Celery beat."""

from __future__ import annotations

from celery import shared_task

from agora.core import outbox


@shared_task(name="core.relay_outbox")
def relay_outbox() -> int:
    """Publish outbox rows their process did not (it died between its commit and the publish)."""
    return outbox.sweep()
