"""What the web pages show for each post, bulk-loaded like the API's JSON (a fixed set of queries)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from agora.accounts.models import User
from agora.media.models import MediaAttachment
from agora.social.models import Status, StatusMedia
from agora.social.products import ProductCard, product_cards
from agora.social.selectors import viewer_flags


@dataclass
class Card:
    status: Status  # the post shown (for a plain repost: the original)
    reblogged_by: User | None = None
    entry_id: int = 0  # the timeline entry's id, for "load more" (max_id)
    media: list[MediaAttachment] = field(default_factory=list)
    quote: Status | None = None
    quote_media: list[MediaAttachment] = field(default_factory=list)
    products: list[ProductCard] = field(default_factory=list)  # social/_product_card.html each
    favourited: bool = False
    reblogged: bool = False
    bookmarked: bool = False
    is_own: bool = False


def build_cards(statuses: list[Status], viewer) -> list[Card]:
    shown = [s.reblog_of if s.reblog_of_id and s.reblog_of else s for s in statuses]
    ids = {s.id for s in shown} | {s.quote_of_id for s in shown if s.quote_of_id}
    media: dict[int, list[MediaAttachment]] = defaultdict(list)
    if ids:
        for link in (
            StatusMedia.objects.filter(status_id__in=ids).select_related("media").order_by("position")
        ):
            media[link.status_id].append(link.media)
    uid = viewer.id if viewer is not None and viewer.is_authenticated else None
    flags = viewer_flags(uid, list(ids))
    products = product_cards(shown)
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
                products=products.get(s.id, []),
                **{flag: s.id in on for flag, on in flags.items()},
                is_own=s.author_id == uid,
            )
        )
    return cards
