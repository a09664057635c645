"""Reads of a cart that check who asks."""

from __future__ import annotations

from agora.accounts.models import User
from agora.cart.models import CartItem
from agora.core.errors import NotFound


def access_cart_item(user: User, item_id: int, *, lock: bool = False) -> CartItem:
    """An item of the user's own cart; anyone else's reads as missing."""
    qs = CartItem.objects.filter(id=item_id, user_id=user.id)
    if lock:
        qs = qs.select_for_update()
    item = qs.first()
    if item is None:
        raise NotFound("No such cart item.")
    return item
