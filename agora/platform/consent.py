"""Scopes in words, for the consent and settings pages (translated; the OAuth scope names are not)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.platform import scopes as scope_rules

TOP_LEVEL = {
    "read": gettext_lazy("Read your account's data: posts, timelines, follows, notifications"),
    "write": gettext_lazy("Post and change your account's data"),
    "follow": gettext_lazy("Follow, unfollow, block and mute accounts for you"),
    "push": gettext_lazy("Receive push notifications for you"),
    "profile": gettext_lazy("See only your basic profile"),
    "read:orders": gettext_lazy("See your orders, carts and addresses"),
    "write:orders": gettext_lazy("Buy, pay, cancel and request refunds for you"),
    "read:shop": gettext_lazy("See your shop's orders, balance and ledger"),
    "write:shop": gettext_lazy("Manage your shop: products, stock, shipping and refunds"),
}
NOUNS = {
    "accounts": gettext_lazy("account"),
    "blocks": gettext_lazy("blocks"),
    "bookmarks": gettext_lazy("bookmarks"),
    "conversations": gettext_lazy("conversations"),
    "favourites": gettext_lazy("likes"),
    "filters": gettext_lazy("filters"),
    "follows": gettext_lazy("follows"),
    "lists": gettext_lazy("lists"),
    "media": gettext_lazy("media"),
    "mutes": gettext_lazy("mutes"),
    "notifications": gettext_lazy("notifications"),
    "reports": gettext_lazy("reports"),
    "search": gettext_lazy("searches"),
    "statuses": gettext_lazy("posts"),
}
# Scopes that let an app spend money or run a shop: the consent page marks them.
SENSITIVE = {"write:orders", "write:shop", "read:orders", "read:shop"}


def describe(scope: str) -> str:
    if scope in TOP_LEVEL:
        return str(TOP_LEVEL[scope])
    top, _sep, sub = scope.partition(":")
    noun = str(NOUNS.get(sub, sub))
    if top == "read":
        return _("Read your %(what)s") % {"what": noun}
    if top == "write":
        return _("Change your %(what)s") % {"what": noun}
    return scope


def described(scope_names: list[str]) -> list[dict[str, object]]:
    return [{"name": s, "text": describe(s), "sensitive": s in SENSITIVE} for s in scope_names]


def choices() -> list[tuple[str, str]]:
    """Checkbox choices for registering an app: top-level and commerce scopes first, then the rest."""
    names = list(TOP_LEVEL) + [s for s in scope_rules.all_scopes() if s not in TOP_LEVEL]
    return [(s, f"{s} — {describe(s)}") for s in names]
