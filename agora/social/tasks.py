"""Side effects of social writes, run after commit. Each takes ids and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db.models import Q

from agora.feeds import fanout
from agora.notifications.actions import do_notify
from agora.social.models import Follow, Status
from agora.social.serializers import forget_statuses


@shared_task
def status_created(status_id: int, mentioned_ids: list[int]) -> None:
    status = Status.objects.filter(id=status_id).first()
    if status is None:
        return
    fanout.fan_out_status(status.id)
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
        for follower_id in Follow.objects.filter(followee_id=status.author_id, notify=True).values_list(
            "follower_id", flat=True
        ):
            do_notify(follower_id, status.author_id, "status", status.id)


@shared_task
def status_edited(status_id: int, mentioned_ids: list[int]) -> None:
    status = Status.objects.filter(id=status_id).first()
    if status is None:
        return
    for account_id in mentioned_ids:
        do_notify(account_id, status.author_id, "mention", status.id)
    # Mastodon tells those who reposted a post that it changed.
    for account_id in Status.objects.filter(reblog_of_id=status_id).values_list("author_id", flat=True):
        do_notify(account_id, status.author_id, "update", status.id)


@shared_task
def status_deleted(status_id: int, author_id: int, reblogs: list[list[int]]) -> None:
    fanout.remove_status(status_id, author_id)
    for reblog_id, reblogger_id in reblogs:
        fanout.remove_status(reblog_id, reblogger_id)


@shared_task
def status_reblogged(reblog_id: int) -> None:
    reblog = Status.objects.filter(id=reblog_id).select_related("reblog_of").first()
    if reblog is None or reblog.reblog_of is None:
        return
    fanout.fan_out_status(reblog.id)
    do_notify(reblog.reblog_of.author_id, reblog.author_id, "reblog", reblog.reblog_of_id)


@shared_task
def notify(kind: str, actor_id: int, status_id: int) -> None:
    author_id = Status.objects.filter(id=status_id).values_list("author_id", flat=True).first()
    if author_id is not None:
        do_notify(author_id, actor_id, kind, status_id)


@shared_task
def notify_account(kind: str, actor_id: int, recipient_id: int) -> None:
    do_notify(recipient_id, actor_id, kind, None)


@shared_task
def followed(follower_id: int, followee_id: int) -> None:
    fanout.merge_followee(follower_id, followee_id)
    do_notify(followee_id, follower_id, "follow", None)


@shared_task
def hide_account(owner_id: int, account_id: int) -> None:
    fanout.remove_author(owner_id, account_id)


# Cached status JSON embeds the author's account (name, avatar, note): after a profile edit, the
# author's recent posts and the reposts and quotes of them are re-rendered on their next read
# instead of waiting out the cache's TTL. Older ones are rarely read and expire on their own.
PROFILE_FORGET_LIMIT = 800


@shared_task
def profile_changed(user_id: int) -> None:
    # Two indexed reads (author, then reblog_of / quote_of), not one OR across joins, which
    # PostgreSQL answers by scanning every status.
    own = list(
        Status.objects.filter(author_id=user_id)
        .order_by("-id")
        .values_list("id", flat=True)[:PROFILE_FORGET_LIMIT]
    )
    echoes = (
        Status.objects.filter(Q(reblog_of_id__in=own) | Q(quote_of_id__in=own))
        .order_by("-id")
        .values_list("id", flat=True)[:PROFILE_FORGET_LIMIT]
    )
    forget_statuses(*own, *echoes)
