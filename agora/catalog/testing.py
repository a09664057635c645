"""Factories for market tests (shops, products, addresses, paid orders); plain functions, no fixtures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agora.accounts.models import User
from agora.catalog.actions import do_create_product
from agora.catalog.models import Product, Variant
from agora.orders.addresses import do_create_address
from agora.orders.checkout import Wanted, do_checkout
from agora.orders.models import Address, Order
from agora.payments.actions import do_sandbox_outcome, do_start_payment
from agora.payments.models import Account, LedgerEntry
from agora.shops.actions import do_create_shop
from agora.shops.models import Shop


def make_shop(owner: User, **fields: Any) -> Shop:
    fields.setdefault("name", f"{owner.username}'s shop")
    return do_create_shop(owner, **fields)


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


def make_address(user: User) -> Address:
    return do_create_address(
        user,
        recipient="Li Lei",
        phone="13800000000",
        city="Hangzhou",
        street="1 West Lake Rd",
        province="Zhejiang",
    )


def buy(buyer: User, variant: Variant, quantity: int = 1, *, pay: bool = False) -> Order:
    address = Address.objects.filter(user=buyer, is_default=True).first() or make_address(buyer)
    order = do_checkout(buyer, address_id=address.id, items=[Wanted(variant.id, quantity)])[0]
    if pay:
        payment = do_start_payment(buyer, [order.id])
        do_sandbox_outcome(buyer, payment.id, "succeeded")
        order.refresh_from_db()
    return order


def assert_ledger_balances() -> None:
    """Every movement sums to zero, and escrow holds exactly what open paid orders are worth."""
    from django.db.models import Sum

    for movement in LedgerEntry.objects.values("movement").annotate(s=Sum("amount")):
        assert movement["s"] == 0, f"movement {movement['movement']} does not balance"
    held = LedgerEntry.objects.filter(account=Account.ESCROW).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    open_total = Order.objects.filter(
        status__in=["paid", "shipped", "refund_requested", "refund_refused"]
    ).aggregate(s=Sum("total"))["s"] or Decimal(0)
    assert held == open_total, f"escrow holds {held}, open paid orders are worth {open_total}"
    assert LedgerEntry.objects.aggregate(s=Sum("amount"))["s"] in (None, 0)
