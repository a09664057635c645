from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse

from agora.accounts.selectors import users_by_id
from agora.accounts.serializers import absolute, account_json
from agora.notifications.models import MARKET_TYPES, Notification
from agora.notifications.tasks import notify_market
from agora.social.access import load_statuses, visible_statuses
from agora.social.serializers import statuses_json


def requested_types(query: QueryDict) -> tuple[list[str], list[str]]:
    """A Mastodon client's `types[]` and `exclude_types[]` (also accepted without the brackets)."""
    return (
        query.getlist("types[]") or query.getlist("types"),
        query.getlist("exclude_types[]") or query.getlist("exclude_types"),
    )


def notifications_for(
    user,
    *,
    types: list[str] | None = None,
    exclude_types: list[str] | None = None,
    every_type: bool = False,
) -> QuerySet[Notification]:
    """The user's notifications of the types asked for. Without `types`, the market's agora.* types are
    left out unless `every_type` (Agora's own pages): a Mastodon client sees only types it can know, and
    an Agora-aware client asks for the others by name (docs/api.md, "Notifications").

    Market notifications still gathering for their batch are written first when no worker will."""
    notify_market.drain_now()
    qs = Notification.objects.filter(recipient=user)
    if types:
        qs = qs.filter(type__in=types)
    elif not every_type:
        qs = qs.exclude(type__in=MARKET_TYPES)
    if exclude_types:
        qs = qs.exclude(type__in=exclude_types)
    return qs


def unread_count(
    user,
    *,
    types: list[str] | None = None,
    exclude_types: list[str] | None = None,
    every_type: bool = False,
) -> int:
    """How many of them are unread, counted by the same rule as notifications_for."""
    return (
        notifications_for(user, types=types, exclude_types=exclude_types, every_type=every_type)
        .filter(read=False)
        .count()
    )


def notifications_json(user, rows: list[Notification]) -> list[dict[str, Any]]:
    """Bulk: actors in one query, statuses in the serialiser's fixed set of queries."""
    actors = {i: account_json(u) for i, u in users_by_id(n.actor_id for n in rows).items()}
    statuses = visible_statuses(user, load_statuses([n.status_id for n in rows if n.status_id]))
    by_id = {s["id"]: s for s in statuses_json(statuses, user)}
    out = []
    for n in rows:
        if n.actor_id not in actors:
            continue
        status = by_id.get(str(n.status_id)) if n.status_id else None
        if n.status_id and status is None:
            continue  # the post is gone or no longer visible
        row = {
            "id": str(n.id),
            "type": n.type,
            "created_at": n.created_at.isoformat().replace("+00:00", "Z"),
            "group_key": f"ungrouped-{n.id}",
            "account": actors[n.actor_id],
            "status": status,
        }
        if n.order_id is not None:  # a market notification: the order it is about, by id and page
            row["order"] = {"id": str(n.order_id), "url": absolute(reverse("order", args=[n.order_id]))}
        if n.product_id is not None:  # a wished product's news: the product, by id and page
            row["product"] = {
                "id": str(n.product_id),
                "url": absolute(reverse("product", args=[n.product_id])),
            }
        out.append(row)
    return out
