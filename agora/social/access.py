"""Permission-checked reads of statuses: one place decides who may see a post.

Two rules, each written once here and used by every read (threads, profiles, timelines, the cached
JSON of the home read, notifications):
- the audience: public and unlisted posts are for everyone; a followers-only post for its author's
  followers; any post for its author and the accounts it mentions (`audience_allows`, `audience_q`);
- the reader's filter: nothing by an account blocked either way or muted, nor a repost of one, nor a
  quote of a blocked account's post (`screened_out`). Profiles and threads apply blocks only (a
  muted account's own profile still shows their posts, as in Mastodon).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from agora.core.errors import NotFound
from agora.social.models import Follow, Mention, Status, Visibility
from agora.social.relations import ReaderFilter, reader_filter

OPEN = (Visibility.PUBLIC, Visibility.UNLISTED)


def screened_out(
    rf: ReaderFilter, author_id: int, reblog_author_id: int | None, quote_author_id: int | None
) -> bool:
    """Whether the reader's filter hides a post by `author_id` (reposting / quoting the others')."""
    hidden = rf.hidden
    return author_id in hidden or reblog_author_id in hidden or quote_author_id in rf.blocked


def screen(statuses: list[Status], rf: ReaderFilter) -> list[Status]:
    """The statuses the reader's filter lets through (loaded with load_statuses)."""
    if not rf.hidden:
        return statuses
    return [
        s
        for s in statuses
        if not screened_out(
            rf,
            s.author_id,
            s.reblog_of.author_id if s.reblog_of_id and s.reblog_of else None,
            s.quote_of.author_id if s.quote_of_id and s.quote_of else None,
        )
    ]


def audience_allows(s: Status, uid: int | None, *, follows_author: bool, mentioned: bool) -> bool:
    return (
        s.visibility in OPEN
        or s.author_id == uid
        or uid is not None
        and (mentioned or (s.visibility == Visibility.PRIVATE and follows_author))
    )


def audience_q(uid: int | None, *, follows_author: bool) -> Q:
    """audience_allows as a filter on one author's statuses."""
    allowed = [*OPEN, Visibility.PRIVATE] if follows_author else list(OPEN)
    if uid is None:
        return Q(visibility__in=allowed)
    return Q(visibility__in=allowed) | Q(author_id=uid) | Q(mentions__account_id=uid)


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
    return [
        s
        for s in screen(statuses, rf)
        if audience_allows(s, uid, follows_author=s.author_id in followed, mentioned=s.id in mentioned)
    ]


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


def visible_status_ids(viewer, ids: Iterable[int | None]) -> set[int]:
    """Those of `ids` that name a status `viewer` may see (at most four queries): how the market's
    callers check the post a purchase says it came from (an order line's source_status_id) without
    telling a missing post from a hidden one."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return set()
    return {s.id for s in visible_statuses(viewer, load_statuses(wanted))}
