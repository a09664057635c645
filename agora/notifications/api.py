from __future__ import annotations

from django.http import HttpResponse
from ninja import Query, Router

from agora.api.auth import token
from agora.api.contract import returns
from agora.api.request import AuthedRequest
from agora.core.errors import NotFound
from agora.core.pagination import PageParams, paginate_queryset, set_link_header
from agora.core.payload import no_nul
from agora.core.schema import EmptyOut
from agora.notifications.access import access_notification
from agora.notifications.actions import do_clear_notifications, do_dismiss_notification
from agora.notifications.schemas import NotificationOut, UnreadCountOut
from agora.notifications.selectors import (
    notifications_for,
    notifications_json,
    requested_types,
    unread_count,
)

router = Router(tags=["notifications"])

_TYPES = {"type": "array", "items": {"type": "string"}}
# Mastodon's types[] / exclude_types[] lists (also accepted without the brackets).
TYPE_FILTERS = {
    "parameters": [
        {
            "name": name,
            "in": "query",
            "required": False,
            "style": "form",
            "explode": True,
            "schema": _TYPES,
            "description": "Notification types: mention, reblog, favourite, follow, follow_request, "
            "status, update, quote",
        }
        for name in ("types[]", "types", "exclude_types[]", "exclude_types")
    ]
}


@router.get(
    "/v1/notifications",
    auth=token("read:notifications"),
    response=returns(list[NotificationOut]),
    openapi_extra=TYPE_FILTERS,
)
def list_notifications(request: AuthedRequest, response: HttpResponse, page: Query[PageParams]) -> list:
    types = [no_nul(t, "types") for t in request.GET.getlist("types[]") or request.GET.getlist("types")]
    exclude = [
        no_nul(t, "exclude_types")
        for t in request.GET.getlist("exclude_types[]") or request.GET.getlist("exclude_types")
    ]
    rows = paginate_queryset(notifications_for(request.user, types=types, exclude_types=exclude), page)
    set_link_header(request, response, rows)
    return notifications_json(request.user, rows)


@router.get(
    "/v1/notifications/unread_count", auth=token("read:notifications"), response=returns(UnreadCountOut)
)
def notifications_unread_count(request: AuthedRequest) -> dict:
    types, exclude = requested_types(request.GET)
    return {"count": unread_count(request.user, types=types, exclude_types=exclude)}


@router.get(
    "/v1/notifications/{int:notification_id}",
    auth=token("read:notifications"),
    response=returns(NotificationOut),
)
def get_notification(request: AuthedRequest, notification_id: int) -> dict:
    rows = notifications_json(request.user, [access_notification(request.user, notification_id)])
    if not rows:
        raise NotFound("Record not found.")
    return rows[0]


@router.post("/v1/notifications/clear", auth=token("write:notifications"), response=returns(EmptyOut))
def clear(request: AuthedRequest) -> dict:
    do_clear_notifications(request.user)
    return {}


@router.post(
    "/v1/notifications/{int:notification_id}/dismiss",
    auth=token("write:notifications"),
    response=returns(EmptyOut),
)
def dismiss(request: AuthedRequest, notification_id: int) -> dict:
    do_dismiss_notification(request.user, notification_id)
    return {}
