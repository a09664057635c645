"""The home timelines' side of what happens in the square (agora/social/events.py), run after
commit. Each takes ids and is safe to run twice: a stored timeline holds an entry once.

A post (or a deletion) that reaches more readers than AGORA_FANOUT_BATCH is split: the first task
works out the readers, queues one batch task for each run of them after the first, and does the
first run itself. Several workers then share a big fan-out, and a worker that dies mid-way costs a
batch done again (its message goes back to the queue), not the whole fan-out.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from agora.feeds import fanout
from agora.social.models import Status


def _queue_rest(task: Any, status_id: int, account_id: int, owner_ids: list[int]) -> list[int]:
    """Queue every batch of `owner_ids` after the first as `task`; return the first, to do now.

    `.delay()`, not after_commit: a task is not in a transaction, and a publish that fails must fail
    this task (which is then retried) rather than be logged and dropped as after_commit's would be."""
    first, *rest = fanout.batches(owner_ids)
    for batch in rest:
        task.delay(status_id, account_id, batch)
    return first


@shared_task(name="feeds.fan_out_status")
def fan_out_status(status_id: int, *_mentioned: object) -> None:
    # Also subscribed to reblogs, whose event carries the reblog's id alone.
    planned = fanout.plan_fan_out(status_id)
    if planned is None:  # deleted meanwhile
        return
    (status_id, account_id), owners = planned
    fanout.push(_queue_rest(push_batch, status_id, account_id, owners), (status_id, account_id))


@shared_task(name="feeds.push_batch")
def push_batch(status_id: int, account_id: int, owner_ids: list[int]) -> None:
    """One batch of a fan-out: the entry into these readers' timelines."""
    # A post deleted after the fan-out was planned stays out (its removal may have run already).
    if Status.objects.filter(id=status_id).exists():
        fanout.push(owner_ids, (status_id, account_id))


@shared_task(name="feeds.remove_status")
def remove_status(status_id: int, author_id: int, reblogs: list[list[int]]) -> None:
    for removed_id, account_id in [(status_id, author_id), *reblogs]:
        owners = fanout.removal_owner_ids(account_id)
        fanout.remove(_queue_rest(remove_batch, removed_id, account_id, owners), (removed_id, account_id))


@shared_task(name="feeds.remove_batch")
def remove_batch(status_id: int, account_id: int, owner_ids: list[int]) -> None:
    """One batch of a removal: the entry out of these readers' timelines."""
    fanout.remove(owner_ids, (status_id, account_id))


@shared_task(name="feeds.merge_followee")
def merge_followee(follower_id: int, followee_id: int) -> None:
    fanout.merge_followee(follower_id, followee_id)


@shared_task(name="feeds.remove_author")
def remove_author(owner_id: int, account_id: int) -> None:
    fanout.remove_author(owner_id, account_id)
