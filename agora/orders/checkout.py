"""Checkout: price on the server, reserve stock atomically, one order per shop, idempotent by key."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connection
from django.utils import timezone

from agora.accounts.models import User
from agora.cart.models import CartItem
from agora.catalog.models import Product, Variant
from agora.core.errors import Conflict, Invalid, NotFound
from agora.core.sqlrows import (
    Prepared,
    RowReader,
    bigint_array,
    columns,
    insert_statement,
    quote,
    run_atomically,
)
from agora.orders.models import ADDRESS_FIELDS, Address, Checkout, Order, OrderEvent, OrderLine, OrderStatus
from agora.orders.timing import pay_window
from agora.shops.models import Shop

MAX_LINES = 50
MAX_QUANTITY = 999


class _Statements:
    """Checkout's reads and its stock UPDATE as fixed SQL (agora/core/sqlrows.py says why): with the
    ORM they were half of a checkout's CPU (bench/market/flash_sale.py, docs/performance.md)."""

    def __init__(self) -> None:
        user_model = Shop._meta.get_field("owner").related_model
        # Only what pricing, the order rows and the response need.
        self.variants = RowReader(
            [
                (
                    Variant,
                    columns(Variant, ["id", "product_id", "sku", "options", "price", "stock", "is_active"]),
                ),
                (Product, columns(Product, ["id", "shop_id", "title", "is_listed"])),
                (
                    Shop,
                    columns(
                        Shop,
                        [
                            "id",
                            "owner_id",
                            "name",
                            "logo_id",
                            "currency",
                            "shipping_fee",
                            "free_shipping_threshold",
                            "rating_count",
                            "rating_total",
                        ],
                    ),
                ),
                (user_model, columns(user_model, ["id", "followers_count"])),  # type: ignore[arg-type]
            ]
        )
        v, p, s, u = (quote(m._meta.db_table) for m in (Variant, Product, Shop, user_model))  # type: ignore[union-attr]
        qid = quote("id")
        self.variants_from = (
            f"SELECT {self.variants.select_list([v, p, s, u])} FROM {v} "  # noqa: S608
            f"JOIN {p} ON {p}.{qid} = {v}.{quote('product_id')} "
            f"JOIN {s} ON {s}.{qid} = {p}.{quote('shop_id')} "
            f"JOIN {u} ON {u}.{qid} = {s}.{quote('owner_id')} WHERE {v}.{qid} "
        )
        # Planned once per PostgreSQL session (sqlrows.Prepared): the four-table join cost more to
        # plan than to run.
        self.variants_by_array = Prepared(
            "agora_checkout_variants", self.variants_from + "= ANY(%s::bigint[])"
        )
        a = quote(Address._meta.db_table)
        self.address = Prepared(
            "agora_checkout_address",
            f"SELECT {', '.join(quote(f) for f in ADDRESS_FIELDS)} FROM {a} "  # noqa: S608
            f"WHERE {qid} = %s AND {quote('user_id')} = %s",
        )
        stock = quote("stock")
        self.reserve = f"UPDATE {v} SET {stock} = {stock} - %s WHERE {qid} = %s"  # noqa: S608
        self.cart_delete = f"DELETE FROM {quote(CartItem._meta.db_table)} WHERE {qid} IN "  # noqa: S608

    def load_variants(self, ids: Sequence[int]) -> dict[int, Variant]:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                self.variants_by_array.execute(cursor, [bigint_array(ids)])
            else:
                cursor.execute(self.variants_from + "IN (" + ", ".join(["%s"] * len(ids)) + ")", list(ids))
            rows = cursor.fetchall()
        found: dict[int, Variant] = {}
        for row in rows:
            variant, product, shop, owner = self.variants.read(row)
            shop.owner = owner
            product.shop = shop
            variant.product = product
            found[variant.id] = variant
        return found

    def address_snapshot(self, buyer: User, address_id: int) -> dict[str, str]:
        """The buyer's own address (access_address's check: someone else's reads as missing)."""
        with connection.cursor() as cursor:
            self.address.execute(cursor, [address_id, buyer.id])
            row = cursor.fetchone()
        if row is None:
            raise NotFound("No such address.")
        return dict(zip(ADDRESS_FIELDS, row, strict=True))

    def take_stock(self, variant_id: int, quantity: int) -> tuple[str, list[int]]:
        """The decrement; when the stock is short it breaks the CHECK stock >= 0 and raises."""
        return self.reserve, [quantity, variant_id]

    def delete_cart_items(self, ids: Sequence[int]) -> tuple[str, list[int]]:
        return self.cart_delete + "(" + ", ".join(["%s"] * len(ids)) + ")", list(ids)


_statements: dict[str, _Statements] = {}


def _sql() -> _Statements:
    found = _statements.get(connection.vendor)
    if found is None:
        found = _statements[connection.vendor] = _Statements()
    return found


@dataclass(frozen=True)
class Wanted:
    variant_id: int
    quantity: int


def check_items(items: Sequence[Wanted]) -> dict[int, int]:
    if not items:
        raise Invalid("Nothing to buy: give items or use the cart.", code="empty_checkout")
    if len(items) > MAX_LINES:
        raise Invalid(f"At most {MAX_LINES} items in one checkout.", code="too_many_items")
    merged: dict[int, int] = defaultdict(int)
    for item in items:
        if not 1 <= item.quantity <= MAX_QUANTITY:
            raise Invalid(f"quantity is from 1 to {MAX_QUANTITY}.", code="invalid_quantity")
        merged[item.variant_id] += item.quantity
    if any(q > MAX_QUANTITY for q in merged.values()):
        raise Invalid(f"quantity is from 1 to {MAX_QUANTITY}.", code="invalid_quantity")
    return dict(merged)


def _out_of_stock(variant: Variant, wanted: int, left: int) -> None:
    raise Conflict(
        f"Not enough stock for {variant.product.title} ({variant.label}): {left} left, {wanted} wanted.",
        code="out_of_stock",
        variant_id=str(variant.id),
        sku=variant.sku,
        available=left,
    )


def prior_checkout(buyer: User, key: str) -> list[Order] | None:
    checkout = Checkout.objects.filter(buyer=buyer, idempotency_key=key).first()
    if checkout is None:
        return None
    return list(
        checkout.orders.select_related("shop", "shop__owner").prefetch_related("lines").order_by("id")
    )


def do_checkout(
    buyer: User,
    *,
    address_id: int,
    items: Sequence[Wanted] | None = None,
    from_cart: bool = False,
    idempotency_key: str | None = None,
) -> list[Order]:
    """Create one awaiting-payment order per shop, or replay the orders of an earlier checkout sent
    with the same Idempotency-Key. Raises 409 out_of_stock naming the variant; then nothing is written."""
    key = (idempotency_key or "").strip()[:200] or None
    if key:
        prior = prior_checkout(buyer, key)
        if prior is not None:
            return prior
    sql = _sql()
    address = sql.address_snapshot(buyer, address_id)
    cart_ids: list[int] = []
    if from_cart:
        rows = list(CartItem.objects.filter(user=buyer).values_list("id", "variant_id", "quantity"))
        cart_ids = [r[0] for r in rows]
        items = [Wanted(variant_id=r[1], quantity=r[2]) for r in rows]
    wanted = check_items(items or [])
    variants = sql.load_variants(sorted(wanted))
    for variant_id in wanted:
        variant = variants.get(variant_id)
        if variant is None or not variant.is_active or not variant.product.is_listed:
            raise Conflict(
                f"Variant {variant_id} is not for sale.", code="unavailable", variant_id=str(variant_id)
            )
        if variant.product.shop.owner_id == buyer.id:
            raise Invalid("You cannot buy from your own shop.", code="own_shop")
    for variant_id, quantity in wanted.items():
        if variants[variant_id].stock < quantity:  # already short: refuse before writing anything
            _out_of_stock(variants[variant_id], quantity, variants[variant_id].stock)
    checkout = Checkout(buyer=buyer, idempotency_key=key) if key else None
    orders, lines = _orders(buyer, checkout, address, variants, wanted)
    events = [
        OrderEvent(
            order=o, from_status="", to_status=OrderStatus.AWAITING_PAYMENT, event="create", actor=buyer
        )
        for o in orders
    ]
    # One transaction, written in one go (sqlrows.run_atomically): on PostgreSQL a single query, so
    # the hot stock row is locked only while the server runs it, never while a Python thread waits
    # for the GIL. The key row goes first: a concurrent duplicate waits on its unique index, then
    # fails and finds our orders. Stock is taken last, in variant-id order (no deadlocks), by plain
    # decrements: a short one breaks the CHECK stock >= 0 and nothing at all is written.
    statements = [insert_statement([checkout])] if checkout else []
    statements += [insert_statement(orders), insert_statement(lines), insert_statement(events)]
    statements += [sql.take_stock(variant_id, wanted[variant_id]) for variant_id in sorted(wanted)]
    if cart_ids:
        statements.append(sql.delete_cart_items(cart_ids))
    try:
        run_atomically(statements)
    except IntegrityError:
        if key and (prior := prior_checkout(buyer, key)) is not None:
            return prior  # a concurrent request with the same key committed first
        left = dict(Variant.objects.filter(id__in=wanted).values_list("id", "stock"))
        for variant_id in sorted(wanted):
            if left.get(variant_id, 0) < wanted[variant_id]:
                _out_of_stock(variants[variant_id], wanted[variant_id], left.get(variant_id, 0))
        raise
    for order in orders:
        # Serialising the result needs each order's lines: hand them over as Django's prefetch would.
        prefetched = OrderLine.objects.filter(order=order)
        prefetched._result_cache = [ln for ln in lines if ln.order is order]
        prefetched._prefetch_done = True  # type: ignore[attr-defined]
        order._prefetched_objects_cache = {"lines": prefetched}  # type: ignore[attr-defined]
    return orders


def _orders(
    buyer: User,
    checkout: Checkout | None,
    address: dict[str, str],
    variants: dict[int, Variant],
    wanted: dict[int, int],
) -> tuple[list[Order], list[OrderLine]]:
    """One order per shop, priced here from the variants just read."""
    by_shop: dict[int, list[int]] = defaultdict(list)
    for variant_id in sorted(wanted):
        by_shop[variants[variant_id].product.shop_id].append(variant_id)
    now = timezone.now()
    orders: list[Order] = []
    lines: list[OrderLine] = []
    for shop_id in sorted(by_shop):
        shop = variants[by_shop[shop_id][0]].product.shop
        shop_lines = []
        for variant_id in by_shop[shop_id]:
            v = variants[variant_id]
            q = wanted[variant_id]
            shop_lines.append(
                OrderLine(
                    variant=v,
                    product_id=v.product_id,
                    title=v.product.title,
                    sku=v.sku,
                    options=v.options,
                    unit_price=v.price,
                    quantity=q,
                    line_total=v.price * q,
                )
            )
        subtotal = sum((ln.line_total for ln in shop_lines), Decimal("0.00"))
        shipping = shop.shipping_for(subtotal)
        order = Order(
            checkout=checkout,
            buyer=buyer,
            shop=shop,
            address=address,
            currency=shop.currency,
            subtotal=subtotal,
            shipping=shipping,
            discount=Decimal("0.00"),
            total=subtotal + shipping,
            created_at=now,
            pay_by=now + pay_window(),
            status=OrderStatus.AWAITING_PAYMENT,
        )
        for ln in shop_lines:
            ln.order = order
        orders.append(order)
        lines += shop_lines
    return orders, lines
