"""Timeline reads. Each returns statuses the reader may see, newest first, with relations loaded."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from agora.accounts.models import User
from agora.core.pagination import PageParams, paginate_ids
from agora.feeds import fanout, fastpath
from agora.feeds.store import SLACK, get_store
from agora.social.access import load_statuses, screen
from agora.social.models import Status
from agora.social.relations import celebrity_followees, reader_filter
from agora.social.timeline_json import timeline_page

TOUCH_EVERY = timedelta(hours=1)


def touch_reader(user: User) -> bool:
    """Mark the reader active; returns True if they had been inactive long enough to be skipped."""
    now = timezone.now()
    last = user.last_active_at
    if last is not None and now - last < TOUCH_EVERY:
        return False
    User.objects.filter(pk=user.pk).update(last_active_at=now)
    user.last_active_at = now
    return last is None or now - last > timedelta(days=settings.AGORA.fanout_inactive_days)


def home_timeline_ids(user: User, page: PageParams, *, was_inactive: bool | None = None) -> list[int]:
    """Candidate ids for one page (a little more than asked, to cover entries dropped at read)."""
    store = get_store()
    if was_inactive is None:
        was_inactive = touch_reader(user)
    celebs = celebrity_followees(user)
    want = page.capped_limit + SLACK
    lower = page.min_id if page.min_id is not None else page.since_id
    # catching up from min_id: read everything newer (bounded by the store) and keep the oldest
    span = 800 if page.min_id is not None else want
    ids, merged = store.home_and_outboxes(
        user.id, [] if was_inactive else celebs, max_id=page.max_id, since_id=lower, limit=span
    )
    if ids is None or was_inactive:
        fanout.rebuild_home(user)
        ids = store.page(user.id, max_id=page.max_id, since_id=lower, limit=span)
        if was_inactive:
            merged = store.outbox_page(celebs, max_id=page.max_id, since_id=lower, limit=span)
    if merged:
        ids = sorted(set(ids) | set(merged), reverse=True)
    return paginate_ids(ids, page, limit=want)


def cut_page(items: list, page: PageParams) -> list:
    # min_id asks for the oldest entries just newer than it, so keep the tail of the page
    limit = page.capped_limit
    return items[-limit:] if page.min_id is not None else items[:limit]


def home_timeline(user: User, page: PageParams) -> list[Status]:
    ids = home_timeline_ids(user, page)
    return cut_page(screen(load_statuses(ids), reader_filter(user)), page)


def home_timeline_page(
    user: User, page: PageParams, *, was_inactive: bool | None = None
) -> tuple[bytes, list[int]]:
    """The API's home timeline as JSON bytes (see agora.social.timeline_json) and the ids shown."""
    if was_inactive is None:
        was_inactive = touch_reader(user)

    def cut(shown: list[int]) -> list[int]:
        return cut_page(shown, page)

    if not was_inactive:
        served = fastpath.home_timeline_page(user, page, cut)
        if served is not None:
            return served
    ids = home_timeline_ids(user, page, was_inactive=was_inactive)
    return timeline_page(ids, user, reader_filter(user), cut)
