"""Reads of payments and of the ledger: balances are sums of ledger rows, never stored."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet, Sum

from agora.orders.models import Order
from agora.payments.models import Account, LedgerEntry, Payment
from agora.shops.models import Shop

ZERO = Decimal("0.00")


def balance(account: str, *, shop: Shop | int | None = None) -> Decimal:
    qs = LedgerEntry.objects.filter(account=account)
    if shop is not None:
        qs = qs.filter(shop_id=shop if isinstance(shop, int) else shop.id)
    return qs.aggregate(s=Sum("amount"))["s"] or ZERO


def shop_balances(shop: Shop) -> dict[str, Decimal]:
    """What the shop has earned, and what buyers have paid that is still held for its open orders."""
    return {"available": balance(Account.SHOP, shop=shop), "held": balance(Account.ESCROW, shop=shop)}


def ledger_of_shop(shop: Shop) -> QuerySet[LedgerEntry]:
    """Every ledger row of the shop (its earnings and what escrow holds for it), newest first."""
    return LedgerEntry.objects.filter(shop=shop).order_by("-id")


def recent_shop_movements(shop: Shop, *, limit: int = 30) -> QuerySet[LedgerEntry]:
    """The shop's own and escrow rows, newest first: what its seller sees move."""
    return ledger_of_shop(shop).filter(account__in=[Account.SHOP, Account.ESCROW])[:limit]


def payment_orders(payment: Payment) -> list[Order]:
    """The orders one payment covers, with their shops, in id order."""
    return list(payment.orders.select_related("shop").order_by("id"))
