from __future__ import annotations

from typing import Any

from agora.catalog.models import Product, Variant
from agora.core.money import money_str
from agora.media.models import MediaAttachment
from agora.media.serializers import media_json
from agora.shops.serializers import shop_json


def variant_json(variant: Variant) -> dict[str, Any]:
    return {
        "id": str(variant.id),
        "sku": variant.sku,
        "options": variant.options,
        "price": money_str(variant.price),
        "currency": "CNY",
        "stock": variant.stock,
        "available": variant.is_active and variant.stock > 0,
        "is_active": variant.is_active,
    }


def product_json(product: Product, media: dict[int, MediaAttachment]) -> dict[str, Any]:
    return {
        "id": str(product.id),
        "title": product.title,
        "description": product.description,
        "shop": shop_json(product.shop, full=False),
        "category": {
            "id": str(product.category.id),
            "slug": product.category.slug,
            "name": product.category.name,
        }
        if product.category_id and product.category
        else None,
        "images": [media_json(media[i]) for i in product.image_ids if i in media],
        "currency": product.currency,
        "price": money_str(product.min_price),
        "variants": [variant_json(v) for v in product.variants.all()],
        "listed": product.is_listed,
        "sales_count": product.sales_count,
        "rating": product.rating,
        "rating_count": product.rating_count,
        "url": f"/market/products/{product.id}",
        "created_at": product.created_at.isoformat(),
    }
