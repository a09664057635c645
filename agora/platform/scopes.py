"""OAuth scopes: Mastodon's, plus Agora's commerce scopes.

A token holding a top-level scope (`read`, `write`) holds every Mastodon sub-scope under it
(`read:statuses` ...). `follow` is Mastodon's legacy scope for relationships. Commerce scopes are
never implied by `read` or `write`: an app must ask for orders and shop access by name, so an old
Mastodon client given "read write follow" cannot see a user's orders or run their shop.
"""

from __future__ import annotations

from collections.abc import Iterable

MASTODON_SUB_SCOPES = {
    "read": [
        "accounts",
        "blocks",
        "bookmarks",
        "favourites",
        "filters",
        "follows",
        "lists",
        "mutes",
        "notifications",
        "search",
        "statuses",
    ],
    "write": [
        "accounts",
        "blocks",
        "bookmarks",
        "conversations",
        "favourites",
        "filters",
        "follows",
        "lists",
        "media",
        "mutes",
        "notifications",
        "reports",
        "statuses",
    ],
}
FOLLOW_IMPLIES = {"read:blocks", "write:blocks", "read:follows", "write:follows", "read:mutes", "write:mutes"}
COMMERCE_SCOPES = {
    "read:orders": "See your orders, carts and addresses",
    "write:orders": "Buy, pay, cancel and request refunds for you",
    "read:shop": "See your shop's orders, balance and ledger",
    "write:shop": "Manage your shop: products, stock, shipping and refunds",
}


def all_scopes() -> dict[str, str]:
    scopes = {
        "read": "Read your account's data",
        "write": "Post and change your account's data",
        "follow": "Follow, block and mute for you",
        "push": "Receive push notifications",
        "profile": "Read only your basic profile",
    }
    for top, subs in MASTODON_SUB_SCOPES.items():
        for sub in subs:
            scopes[f"{top}:{sub}"] = f"{top.capitalize()} your {sub}"
    scopes.update(COMMERCE_SCOPES)
    return scopes


def parse(scope: str | Iterable[str]) -> set[str]:
    parts = scope.split() if isinstance(scope, str) else scope
    return {p for p in parts if p}


def grants(held: set[str], needed: str) -> bool:
    """Does a token holding `held` scopes allow an operation that needs `needed`?"""
    if needed in held:
        return True
    if needed in COMMERCE_SCOPES:
        return False
    top = needed.split(":", 1)[0]
    if ":" in needed and top in held:
        return True
    if needed == "read:accounts" and "profile" in held:
        return True
    return "follow" in held and needed in FOLLOW_IMPLIES
