"""Transactional outbox: the tasks a transaction queues are written in that transaction, so a commit
never loses them, even when its process dies before it publishes them.

`after_commit(task, ...)` and `Event.publish(...)` (agora/core/events.py) call `queue(calls)`:
- inside a transaction, the calls are one `OutboxMessage` row, written there and then (one INSERT; a
  second publish at the same savepoint level adds itself to that row with one UPDATE); once the
  transaction commits, its on-commit hook publishes them (Celery message, or a BatchedTask's Redis
  call) and deletes the row (one DELETE). A publish that fails (broker away) keeps the row;
- a process that dies between its commit and that hook (kill -9, the OOM killer, a deploy) leaves the
  row: the sweep (`core.relay_outbox`, Celery beat every SWEEP_EVERY seconds; in the embedded
  profile, without beat, a process that commits looks at most once a minute) publishes rows older
  than SWEEP_AFTER seconds and deletes them. A row the sweep fails to publish is tried again later
  (backoff), MAX_ATTEMPTS times, then left as a dead letter: logged, counted by `agora outbox` and
  /health/ready, retried with `agora outbox --retry-dead`;
- outside a transaction (autocommit: whatever the caller wrote is committed already) the calls are
  published at once, as Django's on_commit would.

Delivery is at least once: a row published by its hook and by the sweep (the process died between
publishing and deleting, or the hook was slow) runs its tasks twice, which every task allows (each
app's tests/test_tasks_twice.py). Hot paths with their own SQL write the row in their own statements
(`Batch`, `relay`: agora/orders/fastpath.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agora.core import fastpath
from agora.core.ids import id_at, id_time, new_id
from agora.core.models import OutboxMessage

log = logging.getLogger(__name__)

SWEEP_AFTER = 10.0  # seconds: a row this old was not relayed by its hook (its process died)
SWEEP_EVERY = 5.0  # seconds between beat's sweeps
SWEEP_BATCH = 500
MAX_ATTEMPTS = 10  # failed sweeps of a row before it is left as a dead letter
BACKOFF_MAX = 3600.0

# (task, args, kwargs): task is a Celery task or a BatchedTask (anything with .delay and a name).
Call = tuple[Any, tuple[Any, ...], dict[str, Any]]

BATCHED_PREFIX = "batched:"


def task_name(task: Any) -> str:
    """How a row names a task: a Celery task's name; a BatchedTask's is its task's after 'batched:'."""
    return str(task.name)


def resolve(name: str) -> Any:
    """The task a row names (KeyError for one this code no longer has)."""
    if name.startswith(BATCHED_PREFIX):
        from agora.core.events import BatchedTask

        return BatchedTask.registry[name[len(BATCHED_PREFIX) :]]
    from celery import current_app

    return current_app.tasks[name]


@dataclass
class Batch:
    """The calls of one outbox row, as queued (the tasks themselves, not their names)."""

    calls: list[Call]
    id: int = field(default_factory=new_id)
    savepoints: tuple[str, ...] = ()
    open: bool = True  # still taking calls: its transaction has not committed
    hook: Any = None  # its on-commit hook, while registered

    def payload(self) -> list[list[Any]]:
        return [[task_name(t), list(args), kwargs] for t, args, kwargs in self.calls]


_ATTR = "agora_outbox"  # a connection's open batches, by the savepoint level that wrote them


def queue(calls: Sequence[Call]) -> None:
    """Publish `calls` once the current transaction commits, written to the outbox in it."""
    if not calls:
        return  # an event nobody subscribes to: no row
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        publish(calls)
        return
    savepoints = tuple(connection.savepoint_ids)
    batches: dict[tuple[str, ...], Batch] | None = getattr(connection, _ATTR, None)
    if batches is None:
        batches = {}
        setattr(connection, _ATTR, batches)
    batch = batches.get(savepoints)
    if batch is not None and batch.open and _registered(connection, batch):
        # Same transaction, same savepoint level: whatever rolls back one rolls back both.
        batch.calls.extend(calls)
        OutboxMessage.objects.filter(id=batch.id).update(calls=batch.payload())
        return
    if len(batches) > 8:  # batches of savepoints rolled back, or of transactions that did
        for level in [k for k, b in batches.items() if not (b.open and _registered(connection, b))]:
            del batches[level]
    batch = batches[savepoints] = Batch(list(calls), savepoints=savepoints)
    if settings.AGORA.fast_paths:
        fastpath.insert(batch.id, batch.payload())
    else:
        OutboxMessage.objects.create(id=batch.id, calls=batch.payload())
    batch.hook = partial(relay, batch)
    transaction.on_commit(batch.hook, robust=True)


def _registered(connection: Any, batch: Batch) -> bool:
    """Whether the batch's hook is still to run: not if its transaction (or savepoint) rolled back."""
    return any(hook is batch.hook for _s, hook, _r in connection.run_on_commit)


def relay_after_commit(batch: Batch) -> None:
    """For a row written by the caller's own SQL: relay it once the transaction commits (at once when
    that SQL ran in autocommit mode, as one implicit transaction)."""
    batch.open = False
    batch.hook = partial(relay, batch)
    transaction.on_commit(batch.hook, robust=True)


def relay(batch: Batch) -> None:
    """After the commit: publish the batch's calls, then delete its row (kept if a publish failed)."""
    batch.open = False
    batches = getattr(transaction.get_connection(), _ATTR, None)
    if batches and batches.get(batch.savepoints) is batch:
        del batches[batch.savepoints]
    if publish(batch.calls):
        try:
            if settings.AGORA.fast_paths:
                fastpath.delete(batch.id)
            else:
                OutboxMessage.objects.filter(id=batch.id).delete()
        except Exception:
            log.exception("outbox: row %s published but not deleted; the sweep publishes it again", batch.id)
    _embedded_sweep()


def publish(calls: Sequence[Call]) -> bool:
    """Publish each call (without a broker: run it); False if any failed (each is logged)."""
    ok = True
    for task, args, kwargs in calls:
        try:
            task.delay(*args, **kwargs)
        except Exception:
            ok = False
            log.exception("outbox: publishing %s%r failed; the sweep tries again", task_name(task), args)
    return ok


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_MAX, SWEEP_AFTER * 2**attempts))


def _due(now: datetime) -> Q:
    return Q(id__lt=id_at(now.timestamp() - SWEEP_AFTER), attempts__lt=MAX_ATTEMPTS) & (
        Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    )


def sweep(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> int:
    """Publish rows their hook did not (older than SWEEP_AFTER); how many were published.

    Rows are claimed first (attempts + 1 and a retry time, locked with SKIP LOCKED on PostgreSQL),
    so sweeps running at once take different rows, then published outside the claim's transaction
    (inline tasks run as after any commit) and deleted."""
    now = now or timezone.now()
    with transaction.atomic():
        due = OutboxMessage.objects.filter(_due(now)).order_by("id")
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        rows = list(due[:limit])
        for row in rows:
            row.attempts += 1
            row.retry_at = now + _backoff(row.attempts)
        OutboxMessage.objects.bulk_update(rows, ["attempts", "retry_at"])
    sent = []
    for row in rows:
        try:
            calls = [(resolve(name), tuple(args), kwargs) for name, args, kwargs in row.calls]
        except KeyError as exc:
            log.error("outbox: row %s names a task this code does not have: %s", row.id, exc)
            calls = None
        if calls is not None and publish(calls):
            sent.append(row.id)
        elif row.attempts >= MAX_ATTEMPTS:
            log.error(
                "outbox: row %s failed %d times; left as a dead letter (agora outbox --retry-dead): %s",
                row.id,
                row.attempts,
                row.calls,
            )
    if sent:
        OutboxMessage.objects.filter(id__in=sent).delete()
    return len(sent)


def status(*, now: datetime | None = None) -> dict[str, Any]:
    """What is waiting: rows not relayed yet (older than SWEEP_AFTER: their process died, or the broker
    is away), the oldest one's age in seconds, and dead letters."""
    now = now or timezone.now()
    cutoff = id_at(now.timestamp() - SWEEP_AFTER)
    waiting = OutboxMessage.objects.filter(id__lt=cutoff, attempts__lt=MAX_ATTEMPTS)
    oldest = waiting.order_by("id").values_list("id", flat=True).first()
    return {
        "unsent": waiting.count(),
        "oldest_seconds": round(now.timestamp() - id_time(oldest), 1) if oldest else 0,
        "dead": OutboxMessage.objects.filter(attempts__gte=MAX_ATTEMPTS).count(),
    }


def dead_letter(name: str, args: Sequence[Any], kwargs: dict[str, Any], *, reason: str) -> None:
    """Keep a task that will not run again (agora/celery.py: it failed for good, or kills its worker)
    as a dead row: logged, counted by `agora outbox`, sent again by `agora outbox --retry-dead`."""
    log.error("dead letter: %s%r %r: %s", name, tuple(args), kwargs, reason)
    try:
        OutboxMessage.objects.create(
            id=new_id(), calls=[[name, list(args), dict(kwargs or {})]], attempts=MAX_ATTEMPTS
        )
    except Exception:
        log.exception("dead letter: could not record %s", name)


def retry_dead() -> int:
    """Give the dead letters another round of attempts (after fixing what failed them)."""
    return OutboxMessage.objects.filter(attempts__gte=MAX_ATTEMPTS).update(attempts=0, retry_at=None)


_last_sweep = {"at": 0.0}
EMBEDDED_SWEEP_EVERY = 60.0


def _embedded_sweep() -> None:
    """Without a broker there is no beat: a process that relays a commit sweeps at most once a minute
    (a process-local clock, then the shared cache so one process in the deployment does it)."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        return
    now = time.monotonic()
    if now - _last_sweep["at"] < EMBEDDED_SWEEP_EVERY:
        return
    _last_sweep["at"] = now
    from django.core.cache import cache

    if cache.add("agora:outbox:sweep", 1, timeout=EMBEDDED_SWEEP_EVERY):
        try:
            sweep()
        except Exception:
            log.exception("outbox: the sweep failed")
