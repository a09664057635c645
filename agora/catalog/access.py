"""Reads of products that check who asks."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from agora.accounts.models import User
from agora.catalog.models import Product
from agora.core.errors import Forbidden, NotFound


def access_product(
    user: User | AnonymousUser | None, product_id: int, *, lock: bool = False, manage: bool = False
) -> Product:
    """A listed product for anyone; a delisted one only for its shop owner and staff (404 otherwise).

    With manage=True the user must own the shop: 403 for others on a visible product."""
    qs = Product.objects.select_related("shop", "shop__owner", "category")
    if lock:
        qs = qs.select_for_update(of=("self",))
    product = qs.filter(id=product_id).first()
    is_owner = bool(
        user and user.is_authenticated and (product and product.shop.owner_id == user.id or user.is_staff)
    )
    if product is None or (not product.is_listed and not is_owner):
        raise NotFound("No such product.")
    if manage and not is_owner:
        raise Forbidden("Only the shop's owner may do this.", code="not_shop_owner")
    return product
