"""The home timelines' side of what happens in the square (agora/social/events.py), run after
commit. Each takes ids and is safe to run twice: a stored timeline holds an entry once."""

from __future__ import annotations

from celery import shared_task

from agora.feeds import fanout
from agora.social.models import Status


@shared_task(name="feeds.fan_out_status")
def fan_out_status(status_id: int, *_mentioned: object) -> None:
    # Also subscribed to reblogs, whose event carries the reblog's id alone.
    if Status.objects.filter(id=status_id).exists():
        fanout.fan_out_status(status_id)


@shared_task(name="feeds.remove_status")
def remove_status(status_id: int, author_id: int, reblogs: list[list[int]]) -> None:
    fanout.remove_status(status_id, author_id)
    for reblog_id, reblogger_id in reblogs:
        fanout.remove_status(reblog_id, reblogger_id)


@shared_task(name="feeds.merge_followee")
def merge_followee(follower_id: int, followee_id: int) -> None:
    fanout.merge_followee(follower_id, followee_id)


@shared_task(name="feeds.remove_author")
def remove_author(owner_id: int, account_id: int) -> None:
    fanout.remove_author(owner_id, account_id)
