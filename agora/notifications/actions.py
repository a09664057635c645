from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from agora.core.errors import NotFound
from agora.notifications.models import MARKET_TYPES, Notification, NotificationType
from agora.social.models import Block, Mute, Status

TYPES = {t.value for t in NotificationType}


def _may_see(recipient_id: int, status_id: int) -> bool:
    from agora.accounts.models import User
    from agora.social.access import can_see, load_statuses

    recipient = User.objects.filter(id=recipient_id).first()
    statuses = load_statuses([status_id])
    return recipient is not None and bool(statuses) and can_see(recipient, statuses[0])


def do_notify(recipient_id: int, actor_id: int, kind: str, status_id: int | None) -> Notification | None:
    """Record one notification unless the recipient would not want it (self, blocked, muted)."""
    assert kind in TYPES, kind
    if recipient_id == actor_id:
        return None
    if (
        Block.objects.filter(account_id=recipient_id, target_id=actor_id).exists()
        or Block.objects.filter(account_id=actor_id, target_id=recipient_id).exists()
    ):
        return None
    if Mute.objects.filter(account_id=recipient_id, target_id=actor_id, hide_notifications=True).exists():
        return None
    if status_id is not None and not _may_see(recipient_id, status_id):
        # e.g. a direct or followers-only reply to their post: the list would hide it anyway, but the
        # unread count would not, and a badge for a post you cannot open leaks that it exists.
        return None
    if (
        status_id is None
        and Notification.objects.filter(
            recipient_id=recipient_id, actor_id=actor_id, type=kind, status__isnull=True, read=False
        ).exists()
    ):
        return None  # a retried follow task, or follow/unfollow/follow: one unread notice is enough
    try:
        with transaction.atomic():
            return Notification.objects.create(
                recipient_id=recipient_id, actor_id=actor_id, type=kind, status_id=status_id
            )
    except IntegrityError:
        return None


def do_notify_subscribers(status: Status, recipient_ids: Sequence[int]) -> None:
    """do_notify(r, status.author_id, "status", status.id) for each recipient, in five queries
    however many there are (do_notify is several a recipient).

    Only for a public or unlisted post, the only kind subscribers hear of. For such a post the
    audience is everyone, so who may see it (agora/social/access.py) comes down to the reader's
    filter: no account blocked either way with its author or with the author of the post it quotes;
    do_notify's own rules add the author's mutes that hide notifications, and never oneself. Rows
    already there are skipped (a unique constraint), so running it twice adds nothing."""
    from agora.accounts.models import User
    from agora.social.access import OPEN

    assert status.visibility in OPEN, status.visibility
    author_id = status.author_id
    wanted = set(recipient_ids) - {author_id}
    if not wanted:
        return
    screened = {author_id}
    if status.quote_of_id:
        screened |= set(Status.objects.filter(id=status.quote_of_id).values_list("author_id", flat=True))
    blocked = Block.objects.filter(
        Q(account_id__in=wanted, target_id__in=screened) | Q(account_id__in=screened, target_id__in=wanted)
    ).values_list("account_id", "target_id")
    wanted -= {i for pair in blocked for i in pair}
    wanted -= set(
        Mute.objects.filter(account_id__in=wanted, target_id=author_id, hide_notifications=True).values_list(
            "account_id", flat=True
        )
    )
    wanted &= set(User.objects.filter(id__in=wanted).values_list("id", flat=True))  # gone meanwhile
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=r, actor_id=author_id, type="status", status_id=status.id)
            for r in sorted(wanted)
        ],
        ignore_conflicts=True,
    )


def do_notify_market(calls: Iterable[Sequence[Any]]) -> None:
    """Record market notifications: each call is (type, rows of (recipient id, actor id, order id,
    source id)); all of them in one INSERT, numbered in the order given. Idempotent: the source (the
    order placed, its audit event, the review) is unique per recipient, so a row already made is
    skipped, also when two runs race.

    Blocks and mutes do not apply: these are the receipts of a trade both sides entered (a shop is told
    of an order even from a buyer it muted); nobody is told of their own act."""
    new = []
    for kind, rows in calls:
        assert kind in MARKET_TYPES, kind
        new += [
            Notification(recipient_id=recipient, actor_id=actor, type=kind, order_id=order, source_id=source)
            for recipient, actor, order, source in rows
            if recipient != actor
        ]
    Notification.objects.bulk_create(new, ignore_conflicts=True)


def do_notify_wishers(kind: str, product_id: int, rows: Iterable[tuple[int, int, int]]) -> None:
    """Tell the people who wish for a product of its news: rows of (recipient id, actor id: the shop's
    owner, source id: the change). Idempotent like the market's: one per recipient and change."""
    assert kind in (NotificationType.PRICE_DROP, NotificationType.BACK_IN_STOCK), kind
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=r, actor_id=actor, type=kind, product_id=product_id, source_id=source)
            for r, actor, source in rows
            if r != actor
        ],
        ignore_conflicts=True,
    )


def do_dismiss_notification(user, notification_id: int) -> None:
    """Delete one of the user's notifications; NotFound (as Mastodon answers) for anyone else's,
    so a dismiss neither pretends to work nor tells whether the id exists."""
    deleted, _ = Notification.objects.filter(recipient=user, id=notification_id).delete()
    if not deleted:
        raise NotFound("Record not found.")


def do_clear_notifications(user) -> None:
    Notification.objects.filter(recipient=user).delete()


def do_mark_read(user, *, up_to_id: int | None = None) -> int:
    """Mark the user's notifications read, only those up to `up_to_id` when given; returns how many.

    The page sends the newest id it showed, so a notification that arrives between rendering the page
    and this call stays unread: the user has not seen it.
    """
    unread = Notification.objects.filter(recipient=user, read=False)
    if up_to_id is not None:
        unread = unread.filter(id__lte=up_to_id)
    return unread.update(read=True)
