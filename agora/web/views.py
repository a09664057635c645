"""Site-wide pages: the landing page for visitors; members get the home feed (agora.feeds)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    # The social stream replaces the logged-in branch with the home feed.
    if request.user.is_authenticated:
        from agora.feeds.views import home_feed

        return home_feed(request)
    return render(request, "web/landing.html")
