"""Factories and checks for tests of bought (and paid) orders; plain functions, no fixtures."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from agora.accounts.models import User
from agora.catalog.models import Variant
from agora.orders.checkout import Wanted, do_checkout
from agora.orders.models import Address, Order
from agora.orders.testing import make_address
from agora.payments.actions import do_sandbox_outcome, do_start_payment
from agora.payments.models import Account, LedgerEntry


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
    for movement in LedgerEntry.objects.values("movement").annotate(s=Sum("amount")):
        assert movement["s"] == 0, f"movement {movement['movement']} does not balance"
    held = LedgerEntry.objects.filter(account=Account.ESCROW).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    open_total = Order.objects.filter(
        status__in=["paid", "shipped", "refund_requested", "refund_refused"]
    ).aggregate(s=Sum("total"))["s"] or Decimal(0)
    assert held == open_total, f"escrow holds {held}, open paid orders are worth {open_total}"
    assert LedgerEntry.objects.aggregate(s=Sum("amount"))["s"] in (None, 0)
