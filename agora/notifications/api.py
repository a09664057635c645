from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from agora.api.auth import token
from agora.core.pagination import PageParams, paginate_queryset, set_link_header
from agora.notifications.access import access_notification
from agora.notifications.actions import do_clear_notifications, do_dismiss_notification
from agora.notifications.selectors import (
    notifications_for,
    notifications_json,
    requested_types,
    unread_count,
)

router = Router(tags=["notifications"])


@router.get("/v1/notifications", auth=token("read:notifications"))
def list_notifications(request: HttpRequest, response: HttpResponse, page: Query[PageParams]) -> list:
    types = request.GET.getlist("types[]") or request.GET.getlist("types")
    exclude = request.GET.getlist("exclude_types[]") or request.GET.getlist("exclude_types")
    rows = paginate_queryset(notifications_for(request.user, types=types, exclude_types=exclude), page)
    set_link_header(request, response, rows)
    return notifications_json(request.user, rows)


@router.get("/v1/notifications/unread_count", auth=token("read:notifications"))
def notifications_unread_count(request: HttpRequest) -> dict:
    types, exclude = requested_types(request.GET)
    return {"count": unread_count(request.user, types=types, exclude_types=exclude)}


@router.get("/v1/notifications/{int:notification_id}", auth=token("read:notifications"))
def get_notification(request: HttpRequest, notification_id: int) -> dict:
    rows = notifications_json(request.user, [access_notification(request.user, notification_id)])
    if not rows:
        from agora.core.errors import NotFound

        raise NotFound("Record not found.")
    return rows[0]


@router.post("/v1/notifications/clear", auth=token("write:notifications"))
def clear(request: HttpRequest) -> dict:
    do_clear_notifications(request.user)
    return {}


@router.post("/v1/notifications/{int:notification_id}/dismiss", auth=token("write:notifications"))
def dismiss(request: HttpRequest, notification_id: int) -> dict:
    do_dismiss_notification(request.user, notification_id)
    return {}
