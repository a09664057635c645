"""Reads of posts: a reader's flags on statuses, threads, edit history, topic JSON."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.db.models import BooleanField, ExpressionWrapper, Q, Value

from agora.accounts.models import User
from agora.accounts.serializers import absolute
from agora.core.pagination import PageParams, paginate_ids, paginate_queryset
from agora.media.models import MediaAttachment
from agora.media.serializers import media_json
from agora.social import fastpath
from agora.social.access import audience_q, load_statuses, screen, visible_statuses
from agora.social.models import (
    VIEWER_FLAGS,
    Follow,
    Status,
    StatusEdit,
    StatusProduct,
    StatusTag,
    Tag,
    Visibility,
)
from agora.social.relations import ReaderFilter, reader_filter


def no_flags() -> dict[str, set[int]]:
    return {f: set() for f in VIEWER_FLAGS}


def viewer_flags(viewer_id: int | None, ids: list[int]) -> dict[str, set[int]]:
    """Which of these statuses the reader liked, reposted or bookmarked (VIEWER_FLAGS): one query."""
    if viewer_id is None or not ids:
        return no_flags()
    if fastpath.enabled(postgresql_only=True):
        return fastpath.viewer_flags(viewer_id, ids)
    out = no_flags()
    parts = [
        model._default_manager.filter(**{viewer_col: viewer_id, f"{status_col}__in": ids})
        .annotate(flag=Value(flag))
        .values_list("flag", status_col)
        for flag, (model, viewer_col, status_col) in VIEWER_FLAGS.items()
    ]
    for flag, sid in parts[0].union(*parts[1:], all=True):
        out[flag].add(sid)
    return out


MAX_ANCESTORS = 40
MAX_DEPTH = 20
MAX_DESCENDANTS = 400


def thread(viewer, status: Status) -> tuple[list[Status], list[Status]]:
    """(ancestors oldest first, descendants in reply order) that `viewer` may see."""
    rf = reader_filter(viewer)
    ancestors: list[Status] = []
    parent_id = status.in_reply_to_id
    while parent_id and len(ancestors) < MAX_ANCESTORS:
        parent = Status.objects.select_related("author").filter(id=parent_id).first()
        if parent is None:
            break
        ancestors.append(parent)
        parent_id = parent.in_reply_to_id
    ancestors.reverse()
    # Breadth-first by level: one query per level of depth, not per reply.
    children: dict[int, list[int]] = {}
    level = [status.id]
    total = 0
    for _ in range(MAX_DEPTH):
        rows = list(
            Status.objects.filter(in_reply_to_id__in=level).order_by("id").values_list("id", "in_reply_to_id")
        )
        if not rows:
            break
        level = []
        for sid, pid in rows:
            children.setdefault(pid, []).append(sid)
            level.append(sid)
        total += len(rows)
        if total >= MAX_DESCENDANTS:
            break
    ordered: list[int] = []

    def walk(sid: int) -> None:
        for child in children.get(sid, []):
            ordered.append(child)
            walk(child)

    walk(status.id)
    # Replies by muted accounts are left out; the posts replied to are shown whoever wrote them.
    descendants = visible_statuses(viewer, load_statuses(ordered), rf)
    ancestors = visible_statuses(viewer, ancestors, ReaderFilter(rf.user_id, rf.blocked))
    return ancestors, descendants


def history_json(status: Status) -> list[dict[str, Any]]:
    from agora.accounts.serializers import account_json

    account = account_json(status.author)
    edits = list(StatusEdit.objects.filter(status=status).order_by("id"))
    media_ids = {int(i) for e in edits for i in e.media_ids}
    media = {m.id: media_json(m) for m in MediaAttachment.objects.filter(id__in=media_ids)}
    if not edits:
        edits = [
            StatusEdit(
                status=status,
                text=status.text,
                content_html=status.content_html,
                spoiler_text=status.spoiler_text,
                sensitive=status.sensitive,
                media_ids=[],
                created_at=status.created_at,
            )
        ]
    return [
        {
            "content": e.content_html,
            "spoiler_text": e.spoiler_text,
            "sensitive": e.sensitive,
            "created_at": e.created_at.isoformat().replace("+00:00", "Z"),
            "account": account,
            "poll": None,
            "media_attachments": [media[int(i)] for i in e.media_ids if int(i) in media],
            "emojis": [],
        }
        for e in edits
    ]


def tag_json(tag: Tag, *, following: bool | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(tag.id),
        "name": tag.name,
        "url": absolute("/tags/" + quote(tag.name.lower(), safe="")),
        "history": [],
    }
    if following is not None:
        out["following"] = following
    return out


# --- timelines of one account, one topic, everyone: status queries (home is agora/feeds) --------


def public_timeline(viewer, page: PageParams, *, only_media: bool = False) -> list[Status]:
    qs = Status.objects.filter(visibility=Visibility.PUBLIC, reblog_of__isnull=True)
    if only_media:
        qs = qs.filter(has_media=True)
    rf = reader_filter(viewer)
    if rf.hidden:
        qs = qs.exclude(author_id__in=rf.hidden)
    ids = [s.id for s in paginate_queryset(qs.only("id"), page)]
    return screen(load_statuses(ids), rf)


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
    return screen(load_statuses(ids), rf)


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
    rf = reader_filter(viewer, mutes=False)
    if account.id in rf.blocked:
        return []
    qs = Status.objects.filter(author=account)
    uid = rf.user_id
    if uid != account.id:
        follows = uid is not None and Follow.objects.filter(follower_id=uid, followee=account).exists()
        qs = qs.filter(audience_q(uid, follows_author=follows))
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


PRODUCT_POSTS = 5


def product_posts(viewer, product_id: int, *, limit: int = PRODUCT_POSTS) -> list[Status]:
    """Public posts that carry the product, as its page shows them: buyers' published reviews
    (verified purchase) first, then the others, newest first in each; at most `limit`. The same
    queries whatever the number of posts (the reader's filter, the ids, then load_statuses)."""
    rf = reader_filter(viewer)
    qs = StatusProduct.objects.filter(
        product_id=product_id, status__visibility=Visibility.PUBLIC, status__reblog_of__isnull=True
    )
    if rf.hidden:
        qs = qs.exclude(status__author_id__in=rf.hidden)
    rows = list(
        qs.annotate(verified=ExpressionWrapper(Q(status__review__isnull=False), output_field=BooleanField()))
        .order_by("-verified", "-status_id")
        .values_list("status_id", flat=True)[:limit]
    )
    return screen(load_statuses(rows), rf)
