"""Hybrid fan-out (Twitter's): push a post into each active follower's stored home timeline, except
for authors with more followers than AGORA_FANOUT_THRESHOLD, whose posts are merged in at read."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from agora.accounts.models import User
from agora.feeds.store import get_store
from agora.social.models import Follow, Status, StatusTag, TagFollow, Visibility

REBUILD_SIZE = 400
MERGE_ON_FOLLOW = 40


def is_celebrity(followers_count: int) -> bool:
    return followers_count > settings.AGORA.fanout_threshold


def active_cutoff():
    return timezone.now() - timedelta(days=settings.AGORA.fanout_inactive_days)


def home_owner_ids(status: Status, author: User) -> list[int]:
    """Active readers whose stored home timeline should receive `status` (the author always does)."""
    owners = {author.id}
    if status.visibility == Visibility.DIRECT or is_celebrity(author.followers_count):
        return list(owners)
    follows = Follow.objects.filter(followee_id=author.id, follower__last_active_at__gte=active_cutoff())
    if status.reblog_of_id:
        follows = follows.filter(show_reblogs=True)
    followers = set(follows.values_list("follower_id", flat=True))
    if status.in_reply_to_account_id and status.in_reply_to_account_id != author.id:
        # Mastodon's rule: a reply reaches only readers who follow both sides.
        followers &= set(
            Follow.objects.filter(
                followee_id=status.in_reply_to_account_id, follower_id__in=followers
            ).values_list("follower_id", flat=True)
        )
    owners |= followers
    if status.visibility == Visibility.PUBLIC and not status.in_reply_to_id:
        tag_ids = list(StatusTag.objects.filter(status=status).values_list("tag_id", flat=True))
        if tag_ids:
            owners |= set(
                TagFollow.objects.filter(
                    tag_id__in=tag_ids, account__last_active_at__gte=active_cutoff()
                ).values_list("account_id", flat=True)
            )
    return list(owners)


def fan_out_status(status_id: int) -> int:
    """Push one status; returns how many timelines it was offered to. Idempotent (set semantics)."""
    status = Status.objects.select_related("author").filter(id=status_id).first()
    if status is None:
        return 0
    owners = home_owner_ids(status, status.author)
    store = get_store()
    store.push(owners, (status.id, status.author_id))
    if (
        is_celebrity(status.author.followers_count)
        and status.visibility != Visibility.DIRECT
        and (status.in_reply_to_account_id in (None, status.author_id))
    ):
        store.outbox_push(status.author_id, (status.id, status.author_id))
    return len(owners)


def rebuild_home(owner: User) -> None:
    """The newest posts of everyone `owner` follows (and their own), from the database."""
    followees = list(Follow.objects.filter(follower_id=owner.id).values_list("followee_id", "show_reblogs"))
    authors = [owner.id] + [f for f, _ in followees]
    no_reblogs = {f for f, show in followees if not show}
    rows = (
        Status.objects.filter(author_id__in=authors)
        .exclude(visibility=Visibility.DIRECT)
        .order_by("-id")
        .values_list("id", "author_id", "reblog_of_id", "in_reply_to_account_id")[: REBUILD_SIZE * 2]
    )
    following = set(authors)
    entries = []
    for sid, aid, reblog_of, reply_to in rows:
        if reblog_of and aid in no_reblogs:
            continue
        if reply_to and reply_to != aid and reply_to not in following and aid != owner.id:
            continue
        entries.append((sid, aid))
        if len(entries) >= REBUILD_SIZE:
            break
    get_store().replace(owner.id, entries)


def merge_followee(follower_id: int, followee_id: int) -> None:
    """A new follow brings the followee's recent posts into the follower's timeline at once."""
    rows = (
        Status.objects.filter(author_id=followee_id, in_reply_to_account_id__isnull=True)
        .exclude(visibility=Visibility.DIRECT)
        .order_by("-id")
        .values_list("id", "author_id")[:MERGE_ON_FOLLOW]
    )
    get_store().merge(follower_id, list(rows))


def remove_status(status_id: int, author_id: int) -> None:
    followers = list(Follow.objects.filter(followee_id=author_id).values_list("follower_id", flat=True))
    store = get_store()
    store.remove([author_id, *followers], (status_id, author_id))
    store.outbox_remove(author_id, (status_id, author_id))


def remove_author(owner_id: int, author_id: int) -> None:
    get_store().remove_author(owner_id, author_id)
