"""Hybrid fan-out (Twitter's): push a post into each active follower's stored home timeline, except
for authors with more followers than AGORA_FANOUT_THRESHOLD, whose posts are merged in at read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from agora.accounts.models import User
from agora.feeds.store import Entry, get_store
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


def plan_fan_out(status_id: int) -> tuple[Entry, list[int]] | None:
    """The entry `status_id` makes and the readers whose stored timelines should get it, in id
    order (a celebrity's post goes to their outbox here instead); None when the post is gone."""
    status = Status.objects.select_related("author").filter(id=status_id).first()
    if status is None:
        return None
    entry = (status.id, status.author_id)
    if (
        is_celebrity(status.author.followers_count)
        and status.visibility != Visibility.DIRECT
        and (status.in_reply_to_account_id in (None, status.author_id))
    ):
        get_store().outbox_push(status.author_id, entry)
    return entry, sorted(home_owner_ids(status, status.author))


def push(owner_ids: Sequence[int], entry: Entry) -> None:
    """Put `entry` in these readers' stored timelines. Idempotent: a timeline holds an entry once."""
    get_store().push(owner_ids, entry)


def batches(owner_ids: Sequence[int]) -> list[list[int]]:
    """`owner_ids` in runs of AGORA_FANOUT_BATCH (one empty run for none)."""
    size = settings.AGORA.fanout_batch
    return [list(owner_ids[i : i + size]) for i in range(0, len(owner_ids), size)] or [[]]


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


def removal_owner_ids(account_id: int) -> list[int]:
    """Whose stored timelines may hold an entry put there by `account_id`: theirs and every
    follower's (inactive ones too: their timeline may still be stored), in id order."""
    followers = Follow.objects.filter(followee_id=account_id).order_by("follower_id")
    return [account_id, *followers.values_list("follower_id", flat=True)]


def remove(owner_ids: Sequence[int], entry: Entry) -> None:
    """Take `entry` out of these readers' timelines and its author's outbox. Idempotent."""
    store = get_store()
    store.remove(owner_ids, entry)
    store.outbox_remove(entry[1], entry)


def remove_author(owner_id: int, author_id: int) -> None:
    get_store().remove_author(owner_id, author_id)
