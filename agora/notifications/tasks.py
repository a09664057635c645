"""Notifications for what happens elsewhere, run after commit: in the square (agora/social/events.py)
and in the market (queued in batches, below). Each takes ids and is safe to run twice (a
notification is recorded once). A post's notices to more subscribers than SUBSCRIBER_BATCH go out in
batches, each a task of its own."""

from __future__ import annotations

from celery import shared_task

from agora.core.events import BatchedTask
from agora.notifications.actions import do_notify, do_notify_market, do_notify_subscribers
from agora.social.models import Follow, Status

# Subscribers told of a new post by one task: a few queries and one INSERT a batch. (One notice at a
# time, do_notify, cost about 20 ms each on the loaded machine of bench/faults/fanout_kill.py: 2,000
# subscribers kept both pool processes busy for 20 s, the post's timeline batches queued behind them.)
SUBSCRIBER_BATCH = 500


@shared_task(name="notifications.status_created")
def status_created(status_id: int, mentioned_ids: list[int]) -> None:
    status = Status.objects.filter(id=status_id).first()
    if status is None:
        return
    for account_id in mentioned_ids:
        do_notify(account_id, status.author_id, "mention", status.id)
    if status.in_reply_to_account_id and status.in_reply_to_account_id not in mentioned_ids:
        # Weibo tells you about comments on your post even without an @.
        do_notify(status.in_reply_to_account_id, status.author_id, "mention", status.id)
    if status.quote_of_id:
        root_author = Status.objects.filter(id=status.quote_of_id).values_list("author_id", flat=True).first()
        if root_author:
            do_notify(root_author, status.author_id, "quote", status.id)
    if status.visibility in ("public", "unlisted") and not status.in_reply_to_id:
        subscribers = list(
            Follow.objects.filter(followee_id=status.author_id, notify=True)
            .order_by("follower_id")
            .values_list("follower_id", flat=True)
        )
        # Past one batch, a task per batch, so a worker that dies redoes one batch and several
        # workers share a popular author's subscribers. `.delay()`, not
        # after_commit: a publish that fails must fail (and retry) this task, not be dropped.
        for start in range(SUBSCRIBER_BATCH, len(subscribers), SUBSCRIBER_BATCH):
            notify_subscribers.delay(status.id, subscribers[start : start + SUBSCRIBER_BATCH])
        do_notify_subscribers(status, subscribers[:SUBSCRIBER_BATCH])


@shared_task(name="notifications.notify_subscribers")
def notify_subscribers(status_id: int, follower_ids: list[int]) -> None:
    """One batch of the "new post" notices to an author's subscribers (the bell)."""
    status = Status.objects.filter(id=status_id).first()
    if status is not None:
        do_notify_subscribers(status, follower_ids)


@shared_task(name="notifications.status_edited")
def status_edited(status_id: int, mentioned_ids: list[int]) -> None:
    status = Status.objects.filter(id=status_id).first()
    if status is None:
        return
    for account_id in mentioned_ids:
        do_notify(account_id, status.author_id, "mention", status.id)
    # Mastodon tells those who reposted a post that it changed.
    for account_id in Status.objects.filter(reblog_of_id=status_id).values_list("author_id", flat=True):
        do_notify(account_id, status.author_id, "update", status.id)


@shared_task(name="notifications.status_reblogged")
def status_reblogged(reblog_id: int) -> None:
    reblog = Status.objects.filter(id=reblog_id).select_related("reblog_of").first()
    if reblog is not None and reblog.reblog_of is not None:
        do_notify(reblog.reblog_of.author_id, reblog.author_id, "reblog", reblog.reblog_of_id)


@shared_task(name="notifications.status_favourited")
def status_favourited(actor_id: int, status_id: int) -> None:
    author_id = Status.objects.filter(id=status_id).values_list("author_id", flat=True).first()
    if author_id is not None:
        do_notify(author_id, actor_id, "favourite", status_id)


@shared_task(name="notifications.follow_requested")
def follow_requested(follower_id: int, followee_id: int) -> None:
    do_notify(followee_id, follower_id, "follow_request", None)


@shared_task(name="notifications.followed")
def followed(follower_id: int, followee_id: int) -> None:
    do_notify(followee_id, follower_id, "follow", None)


@shared_task(name="notifications.notify_market")
def record_market_notifications(kind: str, rows: list[list[int]]) -> None:
    """`kind` (an agora.* type) for each (recipient id, actor id, order id, source id) row."""
    do_notify_market([(kind, rows)])


# What the market queues: `after_commit(notify_market, kind, rows)`. Checkout queues one a checkout,
# so it must cost one Redis call, not a Celery message (agora/core/events.py, BatchedTask); a batch of
# calls is one INSERT, in the order they were made.
notify_market = BatchedTask(record_market_notifications, run_many=do_notify_market, window=1.0)
