from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from agora.accounts.selectors import users_by_id
from agora.core.pagination import PageParams, paginate_queryset
from agora.core.schema import parse_id
from agora.notifications.actions import do_mark_read
from agora.notifications.selectors import notifications_for
from agora.social.access import load_statuses, visible_statuses

PAGE = 30


@require_safe
@login_required
def notifications_page(request: HttpRequest) -> HttpResponse:
    """A pure read: unread ones are shown as new; the page itself POSTs to mark them read."""
    max_id = parse_id(request.GET.get("max_id")) or None
    rows = paginate_queryset(
        notifications_for(request.user, every_type=True),
        PageParams(max_id=max_id, since_id=None, min_id=None, limit=PAGE),
    )
    actors = users_by_id(n.actor_id for n in rows)
    statuses = {
        s.id: s
        for s in visible_statuses(request.user, load_statuses([n.status_id for n in rows if n.status_id]))
    }
    items = [
        {"n": n, "actor": actors.get(n.actor_id), "status": statuses.get(n.status_id)}
        for n in rows
        if n.actor_id in actors and (n.status_id is None or n.status_id in statuses)
    ]
    if max_id is None:
        newest_id = rows[0].id if rows else None
    else:  # an older page: "mark all read" still means everything up to the newest there is
        newest_id = (
            notifications_for(request.user, every_type=True)
            .order_by("-id")
            .values_list("id", flat=True)
            .first()
        )
    return render(
        request,
        "notifications/list.html",
        {
            "items": items,
            "newest_id": newest_id,
            "next_max_id": rows[-1].id if len(rows) >= PAGE else None,
        },
    )


@require_POST
@login_required
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark read up to the newest notification the page showed (`up_to`), or all without it."""
    do_mark_read(request.user, up_to_id=parse_id(request.POST.get("up_to")))
    if request.htmx:  # type: ignore[attr-defined]
        # the page's automatic request: only the nav badge changes (out-of-band swap)
        return render(request, "notifications/_marked_read.html")
    return redirect("notifications:list")
