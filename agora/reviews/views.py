from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.core.errors import AgoraError
from agora.media.actions import do_upload_media, read_upload
from agora.orders.access import access_order_line
from agora.reviews.actions import do_create_review
from agora.web.errors import attempt, page_errors


@page_errors
@login_required
@require_POST
def create_review(request: HttpRequest, line_id: int) -> HttpResponse:
    line = attempt(request, access_order_line, request.user, line_id)
    if line is None:  # not a line of one of their orders: said as a message
        return redirect("orders")
    try:
        rating = int(request.POST.get("rating", "0"))
        media = [
            do_upload_media(request.user, read_upload(f)).id  # type: ignore[arg-type]
            for f in request.FILES.getlist("images")[:9]
        ]
        do_create_review(
            request.user,  # type: ignore[arg-type]
            line_id,
            rating=rating,
            text=request.POST.get("text", ""),
            media_ids=media,
        )
        messages.success(request, _("Thanks for your review."))
    except (AgoraError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("order", order_id=line.order_id)
