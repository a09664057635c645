"""Reads of a shop that check who asks."""

from __future__ import annotations

from agora.accounts.models import User
from agora.core.errors import Forbidden, NotFound
from agora.shops.models import Shop


def access_shop(user: User, shop_id: int, *, lock: bool = False) -> Shop:
    """The shop, for its owner (or staff) to manage. Shops are public, so others get 403, not 404."""
    qs = Shop.objects.select_related("owner", "logo")
    if lock:
        qs = qs.select_for_update(of=("self",))
    shop = qs.filter(id=shop_id).first()
    if shop is None:
        raise NotFound("No such shop.")
    if shop.owner_id != user.id and not user.is_staff:
        raise Forbidden("Only the shop's owner may do this.", code="not_shop_owner")
    return shop
