from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agora.accounts.models import User
from agora.core.pagination import PageParams, paginate_queryset
from agora.core.schema import parse_id
from agora.notifications.actions import do_mark_read
from agora.notifications.selectors import notifications_for
from agora.social.access import load_statuses, visible_statuses

PAGE = 30


@login_required
def notifications_page(request: HttpRequest) -> HttpResponse:
    max_id = parse_id(request.GET.get("max_id")) or None
    rows = paginate_queryset(
        notifications_for(request.user), PageParams(max_id=max_id, since_id=None, min_id=None, limit=PAGE)
    )
    actors = {u.id: u for u in User.objects.filter(id__in={n.actor_id for n in rows})}
    statuses = {
        s.id: s
        for s in visible_statuses(request.user, load_statuses([n.status_id for n in rows if n.status_id]))
    }
    items = [
        {"n": n, "actor": actors.get(n.actor_id), "status": statuses.get(n.status_id)}
        for n in rows
        if n.actor_id in actors and (n.status_id is None or n.status_id in statuses)
    ]
    response = render(
        request,
        "notifications/list.html",
        {
            "items": items,
            "next_max_id": rows[-1].id if len(rows) >= PAGE else None,
        },
    )
    do_mark_read(request.user)  # after rendering, so this page still shows what was new
    return response
