"""Mastodon-style id pagination: max_id / since_id / min_id / limit, and a `Link` header.

- max_id: items older than this id (next page, going back in time)
- since_id: items newer than this id, newest first (a gap may remain)
- min_id: items just newer than this id, oldest first (no gap: for catching up)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from pydantic import BaseModel, Field

from agora.core.schema import MAX_ID

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 40


class PageParams(BaseModel):
    # A plain pydantic model: ninja.Schema adds a validator for reading ORM objects, which query
    # parameters never are (validating {} took 6.2 us with it, 1.0 us without).
    # Bounded to BIGINT: a bigger id would reach the database driver and fail there (a 500).
    max_id: int | None = Field(None, ge=0, le=MAX_ID, description="Return results older than this id")
    since_id: int | None = Field(None, ge=0, le=MAX_ID, description="Return results newer than this id")
    min_id: int | None = Field(
        None, ge=0, le=MAX_ID, description="Return results immediately newer than this id"
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT * 5, description="Maximum number of results")

    @property
    def capped_limit(self) -> int:
        return min(self.limit, MAX_LIMIT)


def paginate_queryset(qs: QuerySet, page: PageParams, *, field: str = "id") -> list[Any]:
    """One page of `qs`, newest first, by the time-ordered `field`."""
    if page.max_id is not None:
        qs = qs.filter(**{f"{field}__lt": page.max_id})
    if page.since_id is not None:
        qs = qs.filter(**{f"{field}__gt": page.since_id})
    if page.min_id is not None:
        rows = list(qs.filter(**{f"{field}__gt": page.min_id}).order_by(field)[: page.capped_limit])
        rows.reverse()
        return rows
    return list(qs.order_by(f"-{field}")[: page.capped_limit])


def paginate_ids(ids: Sequence[int], page: PageParams, *, limit: int | None = None) -> list[int]:
    """The same rules applied to a descending list of ids (e.g. from a Redis timeline); `limit`
    overrides the page's (capped) one, for callers that read a little more than they show."""
    limit = page.capped_limit if limit is None else limit
    chosen = [
        i
        for i in ids
        if (page.max_id is None or i < page.max_id) and (page.since_id is None or i > page.since_id)
    ]
    if page.min_id is not None:
        newer = sorted(i for i in chosen if i > page.min_id)[:limit]
        return sorted(newer, reverse=True)
    return chosen[:limit]


def set_link_header(
    request: HttpRequest,
    response: HttpResponse,
    items: Sequence[T],
    key: Callable[[T], int] = lambda item: item.id,  # type: ignore[attr-defined]
    limit: int | None = None,
) -> None:
    """Add `Link: <...max_id=>; rel="next", <...min_id=>; rel="prev"` for a newest-first page."""
    if not items:
        return
    base = request.build_absolute_uri(request.path)
    extra = {k: v for k, v in request.GET.items() if k not in {"max_id", "since_id", "min_id"}}
    if limit:
        extra["limit"] = str(limit)
    next_url = f"{base}?{urlencode({**extra, 'max_id': key(items[-1])})}"
    prev_url = f"{base}?{urlencode({**extra, 'min_id': key(items[0])})}"
    response["Link"] = f'<{next_url}>; rel="next", <{prev_url}>; rel="prev"'
