"""What a checkout takes and gives, shared by its ORM reference (checkout.py) and its fast path
(fastpath.py): the wanted items and their checks, the refusals, the placed orders, and an earlier
checkout found by its Idempotency-Key."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects

from agora.accounts.models import User
from agora.catalog.models import options_label
from agora.core import outbox
from agora.core.errors import Conflict, Invalid
from agora.orders import events
from agora.orders.models import Checkout, Order, OrderLine

MAX_LINES = 50
MAX_QUANTITY = 999


@dataclass(frozen=True)
class Wanted:
    variant_id: int
    quantity: int
    # The post it is bought from (OrderLine.source_status_id), already checked by the caller.
    source_status_id: int | None = None


@dataclass(frozen=True)
class Placed:
    """One order of a checkout and its lines (the API serialises them without a query)."""

    order: Order
    lines: list[OrderLine]


def check_items(items: Sequence[Wanted]) -> dict[int, int]:
    """Quantities by variant id, in the order first asked for."""
    if not items:  # the API refuses an empty list itself: this is an empty cart, a state (409)
        raise Invalid("Nothing to buy: give items or use the cart.", code="empty_checkout", status=409)
    if len(items) > MAX_LINES:
        raise Invalid(f"At most {MAX_LINES} items in one checkout.", code="too_many_items")
    merged: dict[int, int] = defaultdict(int)
    for item in items:
        if not 1 <= item.quantity <= MAX_QUANTITY:
            raise Invalid(f"quantity is from 1 to {MAX_QUANTITY}.", code="invalid_quantity")
        merged[item.variant_id] += item.quantity
    if any(q > MAX_QUANTITY for q in merged.values()):
        # each item is valid; together, those of one variant ask for more than one line may hold
        raise Invalid(
            f"The items of one variant come to more than {MAX_QUANTITY}.", code="invalid_quantity", status=409
        )
    return dict(merged)


def sources_of(items: Sequence[Wanted]) -> dict[int, int]:
    """The post each variant is bought from: the first one given for it (items of one variant are
    merged into one line)."""
    found: dict[int, int] = {}
    for item in items:
        if item.source_status_id is not None:
            found.setdefault(item.variant_id, item.source_status_id)
    return found


def normalise_key(raw: str | None) -> str | None:
    return (raw or "").strip()[:200] or None


def unavailable(variant_id: int) -> Conflict:
    return Conflict(f"Variant {variant_id} is not for sale.", code="unavailable", variant_id=str(variant_id))


def own_shop() -> Invalid:
    return Invalid("You cannot buy from your own shop.", code="own_shop")


def out_of_stock(variant_id: int, title: str, sku: str, options: Any, wanted: int, left: int) -> Conflict:
    return Conflict(
        f"Not enough stock for {title} ({options_label(options, sku)}): {left} left, {wanted} wanted.",
        code="out_of_stock",
        variant_id=str(variant_id),
        sku=sku,
        available=left,
    )


def prior_checkout(buyer: User, key: str) -> list[Placed] | None:
    """The orders of this buyer's earlier checkout with this key, or None."""
    checkout = Checkout.objects.filter(buyer=buyer, idempotency_key=key).first()
    if checkout is None:
        return None
    orders = checkout.orders.select_related("shop", "shop__owner").prefetch_related("lines").order_by("id")
    return [Placed(o, list(o.lines.all())) for o in orders]


def announce(buyer: User, placed: list[Placed]) -> None:
    """Tell each shop of its new order, once the checkout commits (agora/orders/events.py): called in
    the checkout's transaction, which writes the notice to the outbox (agora/core/outbox.py)."""
    outbox.queue(announcement(buyer.id, [(p.order.shop.owner_id, p.order.id) for p in placed]))


def announcement(buyer_id: int, orders: Sequence[tuple[int, int]]) -> list[outbox.Call]:
    """The tasks `announce` queues for these (shop owner id, order id) pairs: the fast path writes
    them into its own outbox row."""
    return events.MARKET_NOTICE.calls(
        events.ORDER_PLACED, [[owner_id, buyer_id, order_id, order_id] for owner_id, order_id in orders]
    )


def as_orders(buyer: User, placed: list[Placed]) -> list[Order]:
    """The orders alone, each with its buyer and (one query for all) its lines prefetched."""
    orders = []
    for p in placed:
        p.order.buyer = buyer
        orders.append(p.order)
    prefetch_related_objects(orders, "lines")
    return orders
