from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from agora.core.errors import NotFound
from agora.orders.models import Order, OrderStatus
from agora.shops.models import Shop

SOLD = [
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.COMPLETED,
    OrderStatus.REFUND_REQUESTED,
    OrderStatus.REFUND_REFUSED,
]


def public_shop(shop_id: int) -> Shop:
    """Any shop, as its public page and API show it (404 if there is none)."""
    shop = Shop.objects.select_related("owner", "logo").filter(id=shop_id).first()
    if shop is None:
        raise NotFound("No such shop.")
    return shop


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
