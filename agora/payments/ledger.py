"""The escrow ledger: append-only double entry. Every movement's rows sum to zero; balances are sums.

capture   gateway -total, escrow +total        (buyer paid; held for the order)
release   escrow -total,  shop +total          (order completed)
refund    escrow -total,  gateway +refund, shop +(total - refund)
return    a payment that arrived for an order no longer payable goes straight back out

Release and refund follow the order's transitions: they are hooks of agora/orders/state.py, registered in
agora/payments/apps.py, and run in the transition's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from agora.core.ids import new_id
from agora.orders.models import Order
from agora.payments.models import Account, LedgerEntry, Payment


def _write(
    kind: str,
    rows: Sequence[tuple[str, Decimal]],
    *,
    order: Order | None,
    payment: Payment | None,
    shop_id: int | None,
) -> None:
    assert sum(amount for _, amount in rows) == 0, "a movement must balance"
    movement = new_id()
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                movement=movement,
                kind=kind,
                account=account,
                amount=amount,
                order=order,
                payment=payment,
                shop_id=shop_id,
                currency=order.currency if order else "CNY",
            )
            for account, amount in rows
            if amount != 0 or account != Account.SHOP
        ]
    )


def record_capture(order: Order, payment: Payment) -> None:
    _write(
        "capture",
        [(Account.GATEWAY, -order.total), (Account.ESCROW, order.total)],
        order=order,
        payment=payment,
        shop_id=order.shop_id,
    )


def record_release(order: Order) -> None:
    _write(
        "release",
        [(Account.ESCROW, -order.total), (Account.SHOP, order.total)],
        order=order,
        payment=None,
        shop_id=order.shop_id,
    )


def record_refund(order: Order, amount: Decimal) -> None:
    rows: list[tuple[str, Decimal]] = [(Account.ESCROW, -order.total), (Account.GATEWAY, amount)]
    if order.total - amount:
        rows.append((Account.SHOP, order.total - amount))
    _write("refund", rows, order=order, payment=None, shop_id=order.shop_id)


def record_approved_refund(order: Order) -> None:
    """The order-transition hook for "approve_refund": refund what the buyer asked for, or all of it."""
    record_refund(order, order.refund_amount if order.refund_amount is not None else order.total)


def record_return(payment: Payment, amount: Decimal) -> None:
    _write(
        "capture",
        [(Account.GATEWAY, -amount), (Account.ESCROW, amount)],
        order=None,
        payment=payment,
        shop_id=None,
    )
    _write(
        "return",
        [(Account.ESCROW, -amount), (Account.GATEWAY, amount)],
        order=None,
        payment=payment,
        shop_id=None,
    )
