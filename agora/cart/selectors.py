from __future__ import annotations

from decimal import Decimal
from typing import Any

from agora.accounts.models import User
from agora.cart.models import CartItem
from agora.core.money import money_str
from agora.shops.serializers import shop_json


def cart_view(user: User) -> dict[str, Any]:
    """The cart grouped by shop, priced now, flagging price changes and unavailable items."""
    items = list(
        CartItem.objects.filter(user=user)
        .select_related(
            "variant",
            "variant__product",
            "variant__product__shop",
            "variant__product__shop__owner",
            "variant__product__shop__logo",
        )
        .order_by("id")
    )
    groups: dict[int, dict[str, Any]] = {}
    total = Decimal("0.00")
    for item in items:
        variant = item.variant
        product = variant.product
        shop = product.shop
        available = product.is_listed and variant.is_active and variant.stock >= item.quantity
        group = groups.setdefault(
            shop.id,
            {"shop": shop_json(shop, full=False), "items": [], "_subtotal": Decimal("0.00"), "_shop": shop},
        )
        line_total = variant.price * item.quantity
        group["items"].append(
            {
                "id": str(item.id),
                "variant_id": str(variant.id),
                "product_id": str(product.id),
                "title": product.title,
                "sku": variant.sku,
                "options": variant.options,
                "quantity": item.quantity,
                "unit_price": money_str(variant.price),
                "price_seen": money_str(item.price_seen),
                "price_changed": variant.price != item.price_seen,
                "line_total": money_str(line_total),
                "available": available,
                "stock": variant.stock if product.is_listed and variant.is_active else 0,
                "image_id": str(product.image_ids[0]) if product.image_ids else None,
                "source_status_id": str(item.source_status_id) if item.source_status_id else None,
            }
        )
        if available:
            group["_subtotal"] += line_total
    out = []
    for group in groups.values():
        shop = group.pop("_shop")
        subtotal = group.pop("_subtotal")
        shipping = shop.shipping_for(subtotal) if subtotal else Decimal("0.00")
        group.update(
            subtotal=money_str(subtotal), shipping=money_str(shipping), total=money_str(subtotal + shipping)
        )
        total += subtotal + shipping
        out.append(group)
    return {"shops": out, "total": money_str(total), "currency": "CNY", "count": len(items)}
