"""Permission-checked reads of statuses: one place decides who may see a post."""

from __future__ import annotations

from collections.abc import Iterable

from agora.core.errors import NotFound
from agora.social.models import Follow, Mention, Status, Visibility
from agora.social.relations import ReaderFilter, reader_filter

OPEN = (Visibility.PUBLIC, Visibility.UNLISTED)


def _with_relations():
    return Status.objects.select_related("author", "reblog_of__author", "quote_of__author")


def visible_statuses(viewer, statuses: Iterable[Status], rf: ReaderFilter | None = None) -> list[Status]:
    """The statuses `viewer` may see, in the given order. Costs at most three queries, whatever the count."""
    statuses = list(statuses)
    if not statuses:
        return []
    rf = rf if rf is not None else reader_filter(viewer, mutes=False)
    uid = rf.user_id
    closed = [s for s in statuses if s.visibility not in OPEN and s.author_id != uid]
    followed: set[int] = set()
    mentioned: set[int] = set()
    if closed and uid is not None:
        followed = set(
            Follow.objects.filter(follower_id=uid, followee_id__in={s.author_id for s in closed}).values_list(
                "followee_id", flat=True
            )
        )
        mentioned = set(
            Mention.objects.filter(account_id=uid, status_id__in=[s.id for s in closed]).values_list(
                "status_id", flat=True
            )
        )
    out = []
    for s in statuses:
        inner = s.reblog_of if s.reblog_of_id else None
        if s.author_id in rf.blocked or (inner is not None and inner.author_id in rf.blocked):
            continue
        if (
            s.visibility in OPEN
            or s.author_id == uid
            or uid is not None
            and (s.id in mentioned or (s.visibility == Visibility.PRIVATE and s.author_id in followed))
        ):
            out.append(s)
    return out


def can_see(viewer, status: Status) -> bool:
    return bool(visible_statuses(viewer, [status]))


def access_status(viewer, status_id: int, *, lock: bool = False) -> Status:
    """A status `viewer` may see, or NotFound (also when it exists but is hidden: never leak existence)."""
    qs = _with_relations()
    if lock:
        qs = Status.objects.select_for_update()
    status = qs.filter(id=status_id).first()
    if status is None or not can_see(viewer, status):
        raise NotFound("Record not found.")
    return status


def access_own_status(viewer, status_id: int, *, lock: bool = False) -> Status:
    status = access_status(viewer, status_id, lock=lock)
    if status.author_id != viewer.id:
        # Other people's posts exist but are not yours to change: 404 like Mastodon, not 403.
        raise NotFound("Record not found.")
    return status


def load_statuses(ids: list[int]) -> list[Status]:
    """Statuses by id in the given order, with authors and reblogged/quoted posts, in one query."""
    if not ids:
        return []
    by_id = {s.id: s for s in _with_relations().filter(id__in=ids)}
    return [by_id[i] for i in ids if i in by_id]
