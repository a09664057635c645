"""Timeline reads. Each returns statuses the reader may see, newest first, with relations loaded."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from agora.accounts.models import User
from agora.api.auth import CHECKED_TOKEN_FIELDS, CHECKED_USER_FIELDS, TokenQuery, Unconfirmed
from agora.core.pagination import PageParams, paginate_ids
from agora.core.sqlrows import bigint_array
from agora.feeds import fanout, homeread
from agora.feeds.store import get_store
from agora.social.access import load_statuses, visible_statuses
from agora.social.models import Follow, Status, StatusTag, Tag, Visibility
from agora.social.relations import ReaderFilter, celebrity_followees, reader_filter
from agora.social.serializers import FLAGS, flag_columns
from agora.social.timeline_json import entries, flag_ids, page_bytes, timeline_page, visible_ids

# Entries dropped at read (deleted, blocked, muted) leave a short page; read a little more to cover them.
SLACK = 10
TOUCH_EVERY = timedelta(hours=1)


def _touch(user: User) -> bool:
    """Mark the reader active; returns True if they had been inactive long enough to be skipped."""
    now = timezone.now()
    last = user.last_active_at
    if last is not None and now - last < TOUCH_EVERY:
        return False
    User.objects.filter(pk=user.pk).update(last_active_at=now)
    user.last_active_at = now
    return last is None or now - last > timedelta(days=settings.AGORA.fanout_inactive_days)


def _drop_hidden(statuses: list[Status], rf: ReaderFilter) -> list[Status]:
    hidden = rf.hidden
    if not hidden:
        return statuses
    return [
        s
        for s in statuses
        if s.author_id not in hidden
        and not (s.reblog_of_id and s.reblog_of.author_id in hidden)  # type: ignore[union-attr]
        and not (s.quote_of_id and s.quote_of.author_id in rf.blocked)  # type: ignore[union-attr]
    ]


def home_timeline_ids(user: User, page: PageParams, *, was_inactive: bool | None = None) -> list[int]:
    """Candidate ids for one page (a little more than asked, to cover entries dropped at read)."""
    store = get_store()
    if was_inactive is None:
        was_inactive = _touch(user)
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


def _cut(items: list, page: PageParams) -> list:
    # min_id asks for the oldest entries just newer than it, so keep the tail of the page
    limit = page.capped_limit
    return items[-limit:] if page.min_id is not None else items[:limit]


def home_timeline(user: User, page: PageParams) -> list[Status]:
    ids = home_timeline_ids(user, page)
    return _cut(_drop_hidden(load_statuses(ids), reader_filter(user)), page)


def _fast_read(user_id: int, page: PageParams) -> homeread.HomeRead | None:
    """Production's usual case: the page's candidates in one Redis round trip (feeds/homeread.py);
    None when the general path must serve it (catching up from min_id, something not stored)."""
    if page.min_id is not None:
        return None
    return homeread.read(user_id, max_id=page.max_id, since_id=page.since_id, want=page.capped_limit + SLACK)


def home_timeline_page(
    user: User, page: PageParams, *, was_inactive: bool | None = None
) -> tuple[bytes, list[int]]:
    """The API's home timeline as JSON bytes (see agora.social.timeline_json) and the ids shown."""
    if was_inactive is None:
        was_inactive = _touch(user)

    def cut(shown: list[int]) -> list[int]:
        return _cut(shown, page)

    if not was_inactive:
        fast = _fast_read(user.id, page)
        if fast is not None:
            return timeline_page(fast.ids, user, fast.rf, cut, fast.tags)
    ids = home_timeline_ids(user, page, was_inactive=was_inactive)
    return timeline_page(ids, user, reader_filter(user), cut)


# The token check with the reader's flags: the home read's one PostgreSQL query. Only what the
# check, _touch and the page use is read of the token and the user.
_TOKEN_AND_FLAGS = TokenQuery(
    "agora_token_home",
    flag_columns,
    only=(CHECKED_TOKEN_FIELDS, [*CHECKED_USER_FIELDS, "last_active_at"]),
)


def home_timeline_page_for(pending: Unconfirmed, page: PageParams) -> tuple[bytes, list[int]]:
    """home_timeline_page for a token not checked yet (agora/api/auth.py): Redis is read for the user
    the token last belonged to, then the token is checked in the query that reads the reader's
    flags. It raises as the token check does; when the token is now someone else's, or the reader
    has been away (their timeline needs a rebuild), it starts again as home_timeline_page."""
    fast = _fast_read(pending.user_id, page)
    if fast is None:
        return home_timeline_page(pending.confirm().user, page)
    found = entries(fast.ids, fast.tags)
    shown = _cut(visible_ids(fast.ids, found, fast.rf), page)
    wanted = bigint_array(flag_ids(shown, found))
    tok, flags = pending.confirm_with(_TOKEN_AND_FLAGS, [wanted])
    was_inactive = _touch(tok.user)
    if flags is None or was_inactive:
        return home_timeline_page(tok.user, page, was_inactive=was_inactive)
    return page_bytes(
        shown, found, tok.user_id, {f: set(ids) for f, ids in zip(FLAGS, flags, strict=True)}
    ), shown


def public_timeline(viewer, page: PageParams, *, only_media: bool = False) -> list[Status]:
    from agora.core.pagination import paginate_queryset

    qs = Status.objects.filter(visibility=Visibility.PUBLIC, reblog_of__isnull=True)
    if only_media:
        qs = qs.filter(has_media=True)
    rf = reader_filter(viewer)
    if rf.hidden:
        qs = qs.exclude(author_id__in=rf.hidden)
    ids = [s.id for s in paginate_queryset(qs.only("id"), page)]
    return _drop_hidden(load_statuses(ids), rf)


def find_tag(name: str) -> Tag | None:
    return Tag.objects.filter(name__iexact=" ".join(name.split())).first()


def tag_timeline(viewer, name: str, page: PageParams) -> list[Status]:
    tag = find_tag(name)
    if tag is None:
        return []
    qs = StatusTag.objects.filter(tag=tag, status_visibility=Visibility.PUBLIC)
    rf = reader_filter(viewer)
    if rf.hidden:
        qs = qs.exclude(status__author_id__in=rf.hidden)
    ids = paginate_ids(list(_id_window(qs, page)), page)
    return _drop_hidden(load_statuses(ids), rf)


def _id_window(qs, page: PageParams) -> list[int]:
    if page.max_id is not None:
        qs = qs.filter(status_id__lt=page.max_id)
    lower = page.min_id if page.min_id is not None else page.since_id
    if lower is not None:
        qs = qs.filter(status_id__gt=lower)
    if page.min_id is not None:
        ids = list(qs.order_by("status_id").values_list("status_id", flat=True)[: page.capped_limit])
        return sorted(ids, reverse=True)
    return list(qs.order_by("-status_id").values_list("status_id", flat=True)[: page.capped_limit])


def account_timeline(
    viewer,
    account: User,
    page: PageParams,
    *,
    exclude_replies: bool = False,
    only_media: bool = False,
    pinned: bool = False,
    exclude_reblogs: bool = False,
    tab: str = "",
) -> list[Status]:
    from agora.core.pagination import paginate_queryset

    rf = reader_filter(viewer, mutes=False)
    if account.id in rf.blocked:
        return []
    qs = Status.objects.filter(author=account)
    uid = rf.user_id
    if uid != account.id:
        allowed = [Visibility.PUBLIC, Visibility.UNLISTED]
        if uid is not None and Follow.objects.filter(follower_id=uid, followee=account).exists():
            allowed.append(Visibility.PRIVATE)
        qs = qs.filter(
            Q(visibility__in=allowed) | Q(mentions__account_id=uid) if uid else Q(visibility__in=allowed)
        )
    if exclude_replies:
        qs = qs.filter(Q(in_reply_to_account_id__isnull=True) | Q(in_reply_to_account_id=account.id))
    if only_media:
        qs = qs.filter(has_media=True)
    if pinned:
        qs = qs.filter(pinned=True)
    if exclude_reblogs:
        qs = qs.filter(reblog_of__isnull=True)
    if tab == "replies":
        qs = qs.filter(in_reply_to_account_id__isnull=False)
    elif tab == "posts":  # the web profile's first tab: Weibo shows replies only under "Replies"
        qs = qs.filter(in_reply_to_account_id__isnull=True)
    ids = [s.id for s in paginate_queryset(qs.only("id").distinct(), page)]
    return visible_statuses(viewer, load_statuses(ids), rf)
