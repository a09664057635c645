from __future__ import annotations

from datetime import datetime

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def timesince_short(value: datetime) -> str:
    """Weibo-style compact age: "just now", "5m", "3h", then the date."""
    delta = timezone.now() - value
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        return pgettext("minutes ago", "%(n)dm") % {"n": seconds // 60}
    if seconds < 86400:
        return pgettext("hours ago", "%(n)dh") % {"n": seconds // 3600}
    return value.strftime("%Y-%m-%d")


@register.simple_tag
def visibility_label(value: str) -> str:
    return {"unlisted": _("Unlisted"), "private": _("Followers only"), "direct": _("Mentioned people only")}.get(
        value, _("Public"))


@register.inclusion_tag("social/_follow_button.html", takes_context=True)
def follow_button(context, account) -> dict:
    from agora.social.views import follow_state

    request = context["request"]
    return {"account": account, "follow_state": follow_state(request.user, account),
            "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def profile_cards(context, account, tab: str = "posts") -> dict:
    """The first page of a profile tab, for the profile page rendered by the accounts app."""
    from agora.feeds.selectors import account_timeline
    from agora.social.cards import build_cards
    from agora.social.views import PAGE, page_from

    request = context["request"]
    statuses = account_timeline(request.user, account, page_from(request), exclude_replies=tab == "posts",
                                only_media=tab == "media", tab=tab)
    return {
        "cards": build_cards(statuses, request.user),
        "more_url": reverse("social:profile-tab", args=[account.username, tab]) if len(statuses) >= PAGE else None,
        "next_max_id": statuses[-1].id if statuses else None,
    }
