"""Factories for tests that need products; plain functions, no fixtures. Shops: shops/testing.py;
addresses: orders/testing.py; orders bought and paid: payments/testing.py."""

from __future__ import annotations

from typing import Any

from agora.catalog.actions import do_create_product
from agora.catalog.models import Product, Variant
from agora.shops.models import Shop


def make_product(
    shop: Shop, *, price: str = "10.00", stock: int = 10, variants: int = 1, **fields: Any
) -> Product:
    fields.setdefault("title", "T-shirt")
    return do_create_product(
        shop.owner,
        shop,
        variants=[
            {"sku": f"SKU-{i}", "options": {"size": "SML"[i % 3]}, "price": price, "stock": stock}
            for i in range(variants)
        ],
        **fields,
    )


def seed_categories() -> None:
    """The category tree migration 0003 seeds, again: a transactional test's flush empties it."""
    import importlib

    from django.apps import apps

    importlib.import_module("agora.catalog.migrations.0003_seed_categories").seed(apps, None)


def first_variant(product: Product) -> Variant:
    return product.variants.order_by("id").first()  # type: ignore[return-value]
