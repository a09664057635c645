"""Reads of orders besides the permission-checked ones in access.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from agora.catalog.models import Product, Variant
from agora.orders.models import Address, Order, OrderStatus
from agora.orders.placing import MAX_QUANTITY
from agora.shops.models import Shop

# The statuses of an order whose money the shop has (or holds in escrow): it counts as a sale.
SOLD = [
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.COMPLETED,
    OrderStatus.REFUND_REQUESTED,
    OrderStatus.REFUND_REFUSED,
]


def addresses_of(user_id: int | None) -> QuerySet[Address]:
    """The user's addresses, the default first."""
    return Address.objects.filter(user_id=user_id or 0).order_by("-is_default", "-id")


def orders_of_buyer(user_id: int | None) -> QuerySet[Order]:
    """The orders the user bought, newest first."""
    return Order.objects.filter(buyer_id=user_id or 0).order_by("-id")


def orders_of_shop(shop: Shop) -> QuerySet[Order]:
    """The orders placed with the shop, newest first; for its owner (the caller has checked)."""
    return Order.objects.filter(shop=shop).order_by("-id")


def seller_orders(shop: Shop, *, limit: int = 50) -> QuerySet[Order]:
    """The shop's recent orders that still matter to its seller (not cancelled), with their lines."""
    return (
        orders_of_shop(shop)
        .exclude(status__in=[OrderStatus.CANCELLED])
        .select_related("buyer")
        .prefetch_related("lines")[:limit]
    )


def daily_sales(shop: Shop, *, days: int = 30) -> list[tuple[date, Decimal]]:
    """Paid order totals per day for the last `days` days (zero-filled), oldest first."""
    today = timezone.now().date()
    start = today - timedelta(days=days - 1)
    rows = dict(
        Order.objects.filter(shop=shop, status__in=SOLD, paid_at__date__gte=start)
        .annotate(day=TruncDate("paid_at"))
        .values("day")
        .annotate(total=Sum("total"))
        .values_list("day", "total")
    )
    return [
        (start + timedelta(days=i), rows.get(start + timedelta(days=i)) or Decimal("0")) for i in range(days)
    ]


def sales_chart(shop: Shop, *, days: int = 30, width: int = 600, height: int = 160) -> dict:
    """Bar geometry for an inline SVG chart (drawn server-side: no JavaScript, no image file)."""
    series = daily_sales(shop, days=days)
    peak = max((v for _, v in series), default=Decimal("0")) or Decimal("1")
    bar = width / days
    bars = []
    for i, (day, value) in enumerate(series):
        h = float(value / peak) * (height - 20)
        bars.append(
            {
                "x": round(i * bar + 1, 1),
                "y": round(height - h, 1),
                "w": round(bar - 2, 1),
                "h": round(h, 1),
                "day": day.isoformat(),
                "value": value,
            }
        )
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "peak": peak,
        "total": sum((v for _, v in series), Decimal("0")),
    }


@dataclass(frozen=True)
class BuySheet:
    """What the buy sheet shows for one product (agora/orders/views.py buy_sheet): the variants for
    sale (sold-out ones too, to show them disabled), the one chosen, the quantity, the buyer's
    addresses and the one chosen, and the total priced as checkout prices it (placing's rules:
    the variant's price now, the shop's shipping_for the subtotal)."""

    product: Product
    variants: list[Variant]
    variant: Variant | None  # None: nothing left to buy
    quantity: int
    max_quantity: int
    addresses: list[Address]
    address: Address | None
    subtotal: Decimal
    shipping: Decimal
    total: Decimal

    @property
    def prices_vary(self) -> bool:
        return len({v.price for v in self.variants}) > 1


def buy_sheet(
    product: Product,
    buyer_id: int | None,
    *,
    variant_id: int | None = None,
    quantity: int = 1,
    address_id: int | None = None,
) -> BuySheet:
    """The sheet for `product` (from access_product: its shop is loaded) and the buyer's choices,
    each replaced by a sensible one when missing or no longer possible: a sold-out or unknown
    variant by the first in stock, the quantity kept within the stock, an unknown address by the
    default. Two queries (variants, addresses); one without a buyer."""
    variants = list(product.variants.filter(is_active=True).order_by("id")) if product.is_listed else []
    in_stock = [v for v in variants if v.stock > 0]
    variant = next((v for v in in_stock if v.id == variant_id), in_stock[0] if in_stock else None)
    most = min(variant.stock, MAX_QUANTITY) if variant else 1
    quantity = max(1, min(quantity, most))
    addresses = list(addresses_of(buyer_id)) if buyer_id else []
    address = next((a for a in addresses if a.id == address_id), addresses[0] if addresses else None)
    subtotal = variant.price * quantity if variant else Decimal("0.00")
    shipping = product.shop.shipping_for(subtotal) if variant else Decimal("0.00")
    return BuySheet(
        product=product,
        variants=variants,
        variant=variant,
        quantity=quantity,
        max_quantity=most,
        addresses=addresses,
        address=address,
        subtotal=subtotal,
        shipping=shipping,
        total=subtotal + shipping,
    )
