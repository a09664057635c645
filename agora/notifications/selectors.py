from __future__ import annotations

from typing import Any

from agora.accounts.serializers import account_json
from agora.core.errors import NotFound
from agora.notifications.models import Notification
from agora.social.access import load_statuses, visible_statuses
from agora.social.serializers import statuses_json


def notifications_for(user, *, types: list[str] | None = None, exclude_types: list[str] | None = None):
    qs = Notification.objects.filter(recipient=user)
    if types:
        qs = qs.filter(type__in=types)
    if exclude_types:
        qs = qs.exclude(type__in=exclude_types)
    return qs


def access_notification(user, notification_id: int) -> Notification:
    n = Notification.objects.filter(recipient=user, id=notification_id).first()
    if n is None:
        raise NotFound("Record not found.")
    return n


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read=False).count()


def notifications_json(user, rows: list[Notification]) -> list[dict[str, Any]]:
    """Bulk: actors in one query, statuses in the serialiser's fixed set of queries."""
    from agora.accounts.models import User

    actors = {u.id: account_json(u) for u in User.objects.filter(id__in={n.actor_id for n in rows})}
    statuses = visible_statuses(user, load_statuses([n.status_id for n in rows if n.status_id]))
    by_id = {s["id"]: s for s in statuses_json(statuses, user)}
    out = []
    for n in rows:
        if n.actor_id not in actors:
            continue
        status = by_id.get(str(n.status_id)) if n.status_id else None
        if n.status_id and status is None:
            continue  # the post is gone or no longer visible
        out.append(
            {
                "id": str(n.id),
                "type": n.type,
                "created_at": n.created_at.isoformat().replace("+00:00", "Z"),
                "group_key": f"ungrouped-{n.id}",
                "account": actors[n.actor_id],
                "status": status,
            }
        )
    return out
