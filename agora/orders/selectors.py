"""Reads of orders besides the permission-checked ones in access.py."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from agora.orders.models import Address, Order, OrderStatus
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
