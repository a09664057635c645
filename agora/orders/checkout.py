"""Checkout: price on the server, reserve stock atomically, one order per shop, idempotent by key.

This is the plain-ORM reference. With AGORA_FAST_PATHS on, `place_orders` runs its
twin in agora/orders/fastpath.py instead (same signature, same rows, same answers: the tests run
both); docs/performance.md says what that is worth in a flash sale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from agora.accounts.models import User
from agora.cart.models import CartItem
from agora.catalog.models import Variant
from agora.core.errors import NotFound
from agora.core.ids import new_id
from agora.orders import fastpath
from agora.orders.models import Address, Checkout, Order, OrderEvent, OrderLine, OrderStatus
from agora.orders.placing import (
    Placed,
    Wanted,
    announce,
    as_orders,
    check_items,
    normalise_key,
    out_of_stock,
    own_shop,
    prior_checkout,
    sources_of,
    unavailable,
)
from agora.orders.timing import pay_window

__all__ = ["Placed", "Wanted", "do_checkout", "place_orders"]


def do_checkout(
    buyer: User,
    *,
    address_id: int,
    items: Sequence[Wanted] | None = None,
    from_cart: bool = False,
    idempotency_key: str | None = None,
) -> list[Order]:
    """place_orders for callers that want the orders alone, each with its lines as if prefetched."""
    placed = place_orders(
        buyer, address_id=address_id, items=items, from_cart=from_cart, idempotency_key=idempotency_key
    )
    return as_orders(buyer, placed)


def place_orders(
    buyer: User,
    *,
    address_id: int,
    items: Sequence[Wanted] | None = None,
    from_cart: bool = False,
    idempotency_key: str | None = None,
) -> list[Placed]:
    """Create one awaiting-payment order per shop, or replay the orders of an earlier checkout sent
    with the same Idempotency-Key. Refusals, in the order they are checked: 404 no such address of
    the buyer's, 422 bad items, 409 unavailable (naming the variant), 422 own_shop, 409
    out_of_stock (naming the variant); then nothing is written."""
    if fastpath.enabled():
        return fastpath.place_orders(
            buyer, address_id=address_id, items=items, from_cart=from_cart, idempotency_key=idempotency_key
        )
    key = normalise_key(idempotency_key)
    if key and (prior := prior_checkout(buyer, key)) is not None:
        return prior
    cart: list[tuple[int, int, int, int | None]] = []
    if from_cart:
        cart = list(
            CartItem.objects.filter(user=buyer)
            .order_by("id")
            .values_list("id", "variant_id", "quantity", "source_status_id")
        )
        items = [Wanted(variant_id=v, quantity=q, source_status_id=s) for _i, v, q, s in cart]
    address = Address.objects.filter(id=address_id, user=buyer).first()
    if address is None:
        raise NotFound("No such address.")
    wanted = check_items(items or [])
    variants = Variant.objects.select_related("product__shop__owner").in_bulk(list(wanted))
    for variant_id in wanted:
        v = variants.get(variant_id)
        if v is None or not v.is_active or not v.product.is_listed:
            raise unavailable(variant_id)
        if v.product.shop.owner_id == buyer.id:
            raise own_shop()
    for variant_id, quantity in wanted.items():
        _refuse_short(variants[variant_id], quantity, variants[variant_id].stock)
    try:
        with transaction.atomic():
            placed = _write(
                buyer, key, address, variants, wanted, sources_of(items or []), [c[0] for c in cart]
            )
            announce(buyer, placed)  # in the transaction: its outbox row commits with the orders
    except IntegrityError:
        if key and (prior := prior_checkout(buyer, key)) is not None:
            return prior  # a concurrent request with the same key committed first
        raise
    return placed


def _refuse_short(v: Variant, wanted: int, left: int) -> None:
    if left < wanted:
        raise out_of_stock(v.id, v.product.title, v.sku, v.options, wanted, left)


def _write(
    buyer: User,
    key: str | None,
    address: Address,
    variants: dict[int, Variant],
    wanted: dict[int, int],
    sources: dict[int, int],
    cart_ids: list[int],
) -> list[Placed]:
    now = timezone.now()
    checkout = None
    if key:
        # First: a concurrent duplicate waits on the key's unique index, then fails and replays ours.
        checkout = Checkout.objects.create(id=new_id(), buyer=buyer, idempotency_key=key, created_at=now)
    by_shop: dict[int, list[Variant]] = defaultdict(list)
    for variant_id in sorted(wanted):
        by_shop[variants[variant_id].product.shop_id].append(variants[variant_id])
    placed = []
    for shop_id in sorted(by_shop):
        shop = by_shop[shop_id][0].product.shop
        lines = [
            OrderLine(
                id=new_id(),
                variant_id=v.id,
                product_id=v.product_id,
                title=v.product.title,
                sku=v.sku,
                options=v.options,
                unit_price=v.price,
                quantity=wanted[v.id],
                line_total=v.price * wanted[v.id],
                source_status_id=sources.get(v.id),
            )
            for v in by_shop[shop_id]
        ]
        subtotal = sum((line.line_total for line in lines), Decimal("0.00"))
        shipping = shop.shipping_for(subtotal)
        order = Order.objects.create(
            id=new_id(),
            checkout=checkout,
            buyer=buyer,
            shop=shop,
            status=OrderStatus.AWAITING_PAYMENT,
            address=address.snapshot(),
            currency=shop.currency,
            subtotal=subtotal,
            shipping=shipping,
            discount=Decimal("0.00"),
            total=subtotal + shipping,
            created_at=now,
            pay_by=now + pay_window(),
        )
        for line in lines:
            line.order = order
        OrderLine.objects.bulk_create(lines)
        OrderEvent.objects.create(
            id=new_id(),
            order=order,
            from_status="",
            to_status=OrderStatus.AWAITING_PAYMENT,
            event="create",
            actor=buyer,
            created_at=now,
        )
        placed.append(Placed(order, lines))
    # Stock last, in variant-id order (no deadlocks), each decrement conditional on what is left.
    for variant_id in sorted(wanted):
        quantity = wanted[variant_id]
        if not Variant.objects.filter(id=variant_id, stock__gte=quantity).update(stock=F("stock") - quantity):
            left = Variant.objects.filter(id=variant_id).values_list("stock", flat=True).first() or 0
            _refuse_short(variants[variant_id], quantity, left)  # raises: the transaction rolls back
    if cart_ids:
        CartItem.objects.filter(id__in=cart_ids).delete()
    return placed
