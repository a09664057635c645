from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from agora.feeds.selectors import home_timeline
from agora.social.selectors import public_timeline
from agora.social.views import compose_products, page_from, render_cards


@login_required
def home_feed(request: HttpRequest) -> HttpResponse:
    """The logged-in home page: compose box and the home timeline (agora.web.views.home calls this)."""
    statuses = home_timeline(request.user, page_from(request))  # type: ignore[arg-type]
    return render_cards(
        request,
        statuses,
        more_url=reverse("feeds:home-more"),
        template="feeds/home.html",
        scope="home",
        compose_products=compose_products(request),
    )


def public_feed(request: HttpRequest) -> HttpResponse:
    statuses = public_timeline(request.user, page_from(request))
    return render_cards(
        request, statuses, more_url=reverse("feeds:public"), template="feeds/home.html", scope="public"
    )
