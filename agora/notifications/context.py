"""Template context: the unread notification count shown in the navigation bar (one COUNT per page)."""

from __future__ import annotations

from django.http import HttpRequest


def unread(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from agora.notifications.selectors import unread_count

        return unread_count(user, every_type=True)  # the site's own badge counts the market's too

    # Lazy: pages that never show the nav (htmx fragments) never run the query.
    from django.utils.functional import SimpleLazyObject

    return {"unread_notifications": SimpleLazyObject(count)}
