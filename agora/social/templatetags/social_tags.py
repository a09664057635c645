from __future__ import annotations

from datetime import datetime

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
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
    return {
        "unlisted": _("Unlisted"),
        "private": _("Followers only"),
        "direct": _("Mentioned people only"),
    }.get(value, _("Public"))


@register.inclusion_tag("social/_follow_button.html", takes_context=True)
def follow_button(context, account) -> dict:
    from agora.social.views import follow_state

    request = context["request"]
    return {
        "account": account,
        "follow_state": follow_state(request.user, account),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def profile_cards(context, account, tab: str = "posts") -> dict:
    """The first page of a profile tab, for the profile page rendered by the accounts app."""
    from agora.social.cards import build_cards
    from agora.social.selectors import account_timeline
    from agora.social.views import PAGE, page_from

    request = context["request"]
    statuses = account_timeline(
        request.user,
        account,
        page_from(request),
        exclude_replies=tab == "posts",
        only_media=tab == "media",
        tab=tab,
    )
    return {
        "cards": build_cards(statuses, request.user),
        "more_url": reverse("social:profile-tab", args=[account.username, tab])
        if len(statuses) >= PAGE
        else None,
        "next_max_id": statuses[-1].id if statuses else None,
    }


_PATHS = {
    "reply": '<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.6A8 8 0 1 1 21 12z"/>',
    "repost": '<path d="m17 2 4 4-4 4"/><path d="M3 11V9a3 3 0 0 1 3-3h15"/><path d="m7 22-4-4 4-4"/>'
    '<path d="M21 13v2a3 3 0 0 1-3 3H3"/>',
    "quote": '<path d="M4 20h4l10.5-10.5a2.8 2.8 0 0 0-4-4L4 16v4z"/>',
    "heart": '<path d="M12 20.5s-8-4.8-8-11A4.5 4.5 0 0 1 12 7a4.5 4.5 0 0 1 8 2.5c0 6.2-8 11-8 11z"/>',
    "bookmark": '<path d="M6 3h12v18l-6-4-6 4z"/>',
    "trash": '<path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13"/>',
    "image": '<rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="2"/><path d="m21 16-5-5-9 9"/>',
    "rss": '<path d="M5 11a8 8 0 0 1 8 8M5 5a14 14 0 0 1 14 14"/><circle cx="6" cy="18" r="1"/>',
}
_SVG = (
    '<svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" '
    'stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">{}</svg>'
)
_ICONS = {name: mark_safe(_SVG.format(paths)) for name, paths in _PATHS.items()}  # noqa: S308 (constants)


@register.simple_tag
def square_icon(name: str) -> SafeString:
    """Post action icons as a tag, not an include: a card shows six, a page twenty cards."""
    return _ICONS[name]
