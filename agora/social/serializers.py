"""Mastodon `Status` JSON, built as plain dicts with every relation bulk-loaded: a fixed number of
queries for a page, whatever its length."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction

from agora.accounts.serializers import absolute, account_json
from agora.core import hotcache
from agora.media.serializers import media_json
from agora.social.models import Mention, Status, StatusMedia, StatusTag
from agora.social.products import product_cards
from agora.social.rendering import quote
from agora.social.selectors import no_flags, viewer_flags


def _iso(dt) -> str | None:
    return dt.isoformat().replace("+00:00", "Z") if dt else None


class _Bundle:
    """Relations of a set of statuses, loaded in four queries (two more when any carries products)."""

    def __init__(self, statuses: list[Status], viewer) -> None:
        ids = {s.id for s in statuses}
        for s in statuses:
            if s.reblog_of_id:
                ids.add(s.reblog_of_id)
            if s.quote_of_id:
                ids.add(s.quote_of_id)
        self.media: dict[int, list] = defaultdict(list)
        self.mentions: dict[int, list] = defaultdict(list)
        self.tags: dict[int, list] = defaultdict(list)
        self.flags = no_flags()
        self.products = product_cards(
            [s for st in statuses for s in (st, st.reblog_of, st.quote_of) if s is not None]
        )
        if not ids:
            return
        for link in (
            StatusMedia.objects.filter(status_id__in=ids).select_related("media").order_by("position")
        ):
            self.media[link.status_id].append(media_json(link.media))
        for sid, aid, handle in Mention.objects.filter(status_id__in=ids).values_list(
            "status_id", "account_id", "account__username"
        ):
            url = absolute(f"/@{handle}")
            self.mentions[sid].append({"id": str(aid), "username": handle, "acct": handle, "url": url})
        for sid, name in StatusTag.objects.filter(status_id__in=ids).values_list("status_id", "tag__name"):
            self.tags[sid].append({"name": name, "url": absolute("/tags/" + quote(name.lower(), safe=""))})
        if viewer is not None and viewer.is_authenticated:
            self.flags = viewer_flags(viewer.id, list(ids))


def _one(
    s: Status, b: _Bundle, viewer_id: int | None, accounts: dict[int, dict], nested: bool
) -> dict[str, Any]:
    if s.author_id not in accounts:
        accounts[s.author_id] = account_json(s.author)
    url = absolute(f"/@{s.author.username}/{s.id}")
    reblog = None
    if s.reblog_of_id and s.reblog_of is not None and not nested:
        reblog = _one(s.reblog_of, b, viewer_id, accounts, True)
    products = b.products.get(s.id, [])
    quote_json = None
    if s.quote_of_id and s.quote_of is not None and not nested:
        inner = _one(s.quote_of, b, viewer_id, accounts, True)
        quote_json = {"state": "accepted", "quoted_status": inner}
    return {
        "id": str(s.id),
        "created_at": _iso(s.created_at),
        "edited_at": _iso(s.edited_at),
        "in_reply_to_id": str(s.in_reply_to_id) if s.in_reply_to_id else None,
        "in_reply_to_account_id": str(s.in_reply_to_account_id) if s.in_reply_to_account_id else None,
        "sensitive": s.sensitive,
        "spoiler_text": s.spoiler_text,
        "visibility": s.visibility,
        "language": s.language or None,
        "uri": url,
        "url": url,
        "replies_count": s.replies_count,
        "reblogs_count": s.reblogs_count,
        "favourites_count": s.favourites_count,
        "quotes_count": s.quotes_count,
        "favourited": s.id in b.flags["favourited"],
        "reblogged": s.id in b.flags["reblogged"],
        "muted": False,
        "bookmarked": s.id in b.flags["bookmarked"],
        "pinned": s.pinned if viewer_id in (None, s.author_id) else False,
        "content": s.content_html,
        "text": s.text if viewer_id == s.author_id else None,
        "filtered": [],
        "reblog": reblog,
        "quote": quote_json,
        "quote_id": str(s.quote_of_id) if s.quote_of_id else None,
        "application": None,
        "account": accounts[s.author_id],
        "media_attachments": b.media.get(s.id, []),
        "mentions": b.mentions.get(s.id, []),
        "tags": b.tags.get(s.id, []),
        "emojis": [],
        "card": products[0].preview_card() if products else None,
        "poll": None,
        # Agora's extension: the products the post carries, live price and stock (docs/api.md).
        "agora_products": [p.as_json() for p in products],
        # A buyer's review published as the post (晒单): the only source of "verified purchase".
        "agora_review": (
            {"id": str(s.review_id), "rating": s.review_rating, "verified_purchase": True}
            if s.review_id
            else None
        ),
    }


def statuses_json(statuses: list[Status], viewer) -> list[dict[str, Any]]:
    bundle = _Bundle(statuses, viewer)
    viewer_id = viewer.id if viewer is not None and viewer.is_authenticated else None
    accounts: dict[int, dict] = {}
    return [_one(s, bundle, viewer_id, accounts, False) for s in statuses]


def status_json(status: Status, viewer) -> dict[str, Any]:
    return statuses_json([status], viewer)[0]


# --- cached JSON for timelines ---------------------------------------------------------------------
# A status's JSON without the reader's flags is the same for everyone: keep it in the cache (Redis in
# production) so a timeline page is one MGET. Writes that change a status drop its entry on commit;
# the TTL bounds how stale embedded account fields (display name, counts) can get.
STATUS_JSON_TTL = 600


SJ_PREFIX = "agora:sj7:"  # bump when the cached shape changes
# Beside each entry, its tag and the status it reposts ("tag|id"), ids in 20 digits as the home
# read's script handles them (agora/feeds/fastpath.py, agora/social/timeline_json.py).
TAG_PREFIX = "agora:st7:"


def _sj_key(status_id: int) -> str:
    return f"{SJ_PREFIX}{status_id}"


def _tag_key(status_id: int) -> str:
    return f"{TAG_PREFIX}{status_id:020d}"


def tag_value(tag: str, reblog_of_id: int | None) -> str:
    return f"{tag}|{reblog_of_id:020d}" if reblog_of_id else f"{tag}|"


def forget_statuses(*status_ids: int | None) -> None:
    keys = [key(i) for i in status_ids if i for key in (_sj_key, _tag_key)]
    if keys:
        transaction.on_commit(lambda: hotcache.delete_many(keys), robust=True)
