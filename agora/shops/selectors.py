from __future__ import annotations

from django.db.models import QuerySet

from agora.core.errors import NotFound
from agora.shops.models import Shop


def public_shop(shop_id: int) -> Shop:
    """Any shop, as its public page and API show it (404 if there is none)."""
    shop = Shop.objects.select_related("owner", "logo").filter(id=shop_id).first()
    if shop is None:
        raise NotFound("No such shop.")
    return shop


def shop_of(user_id: int | None) -> Shop | None:
    """The user's own shop, if they have opened one (an account has at most one)."""
    return Shop.objects.filter(owner_id=user_id).first() if user_id else None


def top_shops(limit: int = 12) -> QuerySet[Shop]:
    """The most reviewed shops first, for the market's front page."""
    return Shop.objects.select_related("owner").order_by("-rating_count", "-id")[:limit]
