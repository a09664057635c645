from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from agora.accounts.models import User
from agora.cart.models import CartItem
from agora.catalog.models import Variant
from agora.core.errors import Conflict, Forbidden, Invalid, NotFound

MAX_QUANTITY = 999
MAX_ITEMS = 100


def check_quantity(quantity: int) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_QUANTITY:
        raise Invalid(f"quantity is from 1 to {MAX_QUANTITY}.", code="invalid_quantity")
    return quantity


def do_add_to_cart(
    user: User, variant_id: int, *, quantity: int = 1, source_status_id: int | None = None
) -> CartItem:
    """Add to the cart (to the row of that variant if there is one). `source_status_id` is the post
    it is added from, checked by the caller; a later add from another post takes its place, one
    from no post keeps it."""
    check_quantity(quantity)
    variant = Variant.objects.select_related("product", "product__shop").filter(id=variant_id).first()
    if variant is None or not variant.product.is_listed:
        raise NotFound("No such variant.")
    if not variant.is_active:
        raise Conflict("This variant is not for sale.", code="unavailable", variant_id=str(variant.id))
    if variant.product.shop.owner_id == user.id:
        raise Forbidden("You cannot buy from your own shop.", code="own_shop")
    try:
        with transaction.atomic():
            item = CartItem.objects.select_for_update().filter(user=user, variant=variant).first()
            if item is None:
                if CartItem.objects.filter(user=user).count() >= MAX_ITEMS:
                    raise Invalid(f"A cart holds at most {MAX_ITEMS} items.", code="cart_full")
                return CartItem.objects.create(
                    user=user,
                    variant=variant,
                    quantity=quantity,
                    price_seen=variant.price,
                    source_status_id=source_status_id,
                )
            item.quantity = min(item.quantity + quantity, MAX_QUANTITY)
            item.price_seen = variant.price
            fields = ["quantity", "price_seen"]
            if source_status_id is not None:
                item.source_status_id = source_status_id
                fields.append("source_status_id")
            item.save(update_fields=fields)
            return item
    except IntegrityError:  # the same variant added concurrently: add to that row
        CartItem.objects.filter(user=user, variant=variant).update(quantity=F("quantity") + quantity)
        return CartItem.objects.get(user=user, variant=variant)


def do_update_cart_item(user: User, item: CartItem, *, quantity: int) -> CartItem:
    item.quantity = check_quantity(quantity)
    # Saving the quantity also acknowledges the current price.
    item.price_seen = Variant.objects.filter(id=item.variant_id).values_list("price", flat=True).first() or 0
    item.save(update_fields=["quantity", "price_seen"])
    return item


def do_remove_cart_item(user: User, item: CartItem) -> None:
    item.delete()
