"""What the web pages show for each post, bulk-loaded like the API's JSON (a fixed set of queries)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from agora.accounts.models import User
from agora.media.models import MediaAttachment
from agora.social.models import Bookmark, Favourite, Status, StatusMedia


@dataclass
class Card:
    status: Status  # the post shown (for a plain repost: the original)
    reblogged_by: User | None = None
    entry_id: int = 0  # the timeline entry's id, for "load more" (max_id)
    media: list[MediaAttachment] = field(default_factory=list)
    quote: Status | None = None
    quote_media: list[MediaAttachment] = field(default_factory=list)
    favourited: bool = False
    reblogged: bool = False
    bookmarked: bool = False
    is_own: bool = False


def build_cards(statuses: list[Status], viewer) -> list[Card]:
    shown = [s.reblog_of if s.reblog_of_id and s.reblog_of else s for s in statuses]
    ids = {s.id for s in shown} | {s.quote_of_id for s in shown if s.quote_of_id}
    media: dict[int, list[MediaAttachment]] = defaultdict(list)
    fav: set[int] = set()
    rb: set[int] = set()
    bm: set[int] = set()
    if ids:
        for link in (
            StatusMedia.objects.filter(status_id__in=ids).select_related("media").order_by("position")
        ):
            media[link.status_id].append(link.media)
        if viewer is not None and viewer.is_authenticated:
            fav = set(
                Favourite.objects.filter(account_id=viewer.id, status_id__in=ids).values_list(
                    "status_id", flat=True
                )
            )
            bm = set(
                Bookmark.objects.filter(account_id=viewer.id, status_id__in=ids).values_list(
                    "status_id", flat=True
                )
            )
            rb = set(
                Status.objects.filter(author_id=viewer.id, reblog_of_id__in=ids).values_list(
                    "reblog_of_id", flat=True
                )
            )
    uid = viewer.id if viewer is not None and viewer.is_authenticated else None
    cards = []
    for entry, s in zip(statuses, shown, strict=True):
        cards.append(
            Card(
                status=s,
                reblogged_by=entry.author if entry.reblog_of_id else None,
                entry_id=entry.id,
                media=media.get(s.id, []),
                quote=s.quote_of if s.quote_of_id else None,
                quote_media=media.get(s.quote_of_id, []) if s.quote_of_id else [],
                favourited=s.id in fav,
                reblogged=s.id in rb,
                bookmarked=s.id in bm,
                is_own=s.author_id == uid,
            )
        )
    return cards
