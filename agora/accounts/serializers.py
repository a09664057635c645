"""Mastodon `Account` JSON for a user. Plain dicts: this runs for every post on every timeline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import escape

from agora.accounts.models import User

DEFAULT_AVATAR = "web/img/avatar.svg"
DEFAULT_HEADER = "web/img/header.svg"


def absolute(path: str) -> str:
    return path if path.startswith("http") else settings.AGORA.site_url.rstrip("/") + path


def note_html(bio: str) -> str:
    """Mastodon's `note` is HTML that clients insert as is: the plain-text bio escaped, in paragraphs."""
    paragraphs = [p.strip() for p in bio.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def website_html(url: str) -> str:
    """A profile field's `value` is HTML too: the (validated http/https) website as an escaped link."""
    shown = url.split("://", 1)[-1]
    return (
        f'<a href="{escape(url)}" rel="me nofollow noopener noreferrer" target="_blank">{escape(shown)}</a>'
    )


def account_json(user: User) -> dict[str, Any]:
    avatar = absolute(user.avatar.url if user.avatar else static(DEFAULT_AVATAR))
    header = absolute(user.header.url if user.header else static(DEFAULT_HEADER))
    return {
        "id": str(user.id),
        "username": user.username,
        "acct": user.username,
        "display_name": user.display_name,
        "locked": user.locked,
        "bot": False,
        "discoverable": True,
        "group": False,
        "created_at": user.date_joined.isoformat().replace("+00:00", "Z"),
        "note": note_html(user.bio),
        "url": absolute(f"/@{user.username}"),
        "uri": absolute(f"/@{user.username}"),
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": user.followers_count,
        "following_count": user.following_count,
        "statuses_count": user.statuses_count,
        "last_status_at": user.last_status_at.date().isoformat() if user.last_status_at else None,
        "emojis": [],
        "fields": (
            [{"name": "Website", "value": website_html(user.website), "verified_at": None}]
            if user.website
            else []
        ),
        "verified": user.verified,
        "location": user.location,
    }
