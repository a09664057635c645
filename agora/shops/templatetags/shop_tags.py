"""The shop an account runs, for the square's pages (a profile's Shop tab and badge)."""

from __future__ import annotations

from typing import Any

from django import template

from agora.shops.models import Shop
from agora.shops.selectors import shop_of

register = template.Library()


@register.simple_tag(takes_context=True)
def account_shop(context: Any, account: Any) -> Shop | None:
    """The shop `account` runs, or None: one query per account and request, however many parts of
    the page ask (the badge and the tabs)."""
    request = context.get("request")
    memo: dict[int, Shop | None] = getattr(request, "_agora_account_shops", None) or {}
    if account.pk not in memo:
        memo[account.pk] = shop_of(account.pk)
        if request is not None:
            request._agora_account_shops = memo
    return memo[account.pk]
