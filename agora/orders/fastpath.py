"""Checkout as fixed SQL, the twin of agora/orders/checkout.py `place_orders` (same signature, same
rows written, same answers and refusals: the tests run both). Used when AGORA_FAST_PATHS is on, on
SQLite and PostgreSQL alike (prepared statements and one-query writes on PostgreSQL only).

The read (the buyer's address and the variants with product, shop and owner) is one prepared
statement; the writes (key, orders, lines, audit rows, stock decrements, cart rows) are one query
that PostgreSQL runs as one implicit transaction, so a hot stock row is locked only while the server
runs it, never across a round trip or a Python thread waiting for the GIL. With the ORM, building
and compiling those statements was half of a checkout's CPU (bench/market/checkout_cpu.py).

`place_orders_deferred` serves the API's checkout whose token is checked inside that first read
(agora/api/fastpath.py, ADR 0004): the buyer is then anything with a `user_id` and the two
`confirm` methods of `DeferredBuyer`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.utils import timezone

from agora.accounts.models import User
from agora.cart.models import CartItem
from agora.catalog.models import Product, Variant
from agora.core import outbox
from agora.core.errors import Invalid, NotFound
from agora.core.ids import new_id
from agora.core.models import OutboxMessage
from agora.core.sqlrows import (
    Prepared,
    Select,
    Table,
    bigint_array,
    in_field_order,
    instance,
    quote,
    run_atomically,
)
from agora.orders.models import ADDRESS_FIELDS, Address, Checkout, Order, OrderEvent, OrderLine, OrderStatus
from agora.orders.placing import (
    Placed,
    Wanted,
    announcement,
    check_items,
    normalise_key,
    out_of_stock,
    own_shop,
    prior_checkout,
    sources_of,
    unavailable,
)
from agora.orders.timing import pay_window
from agora.shops.models import Shop


def enabled() -> bool:
    return settings.AGORA.fast_paths


class DeferredBuyer(Protocol):
    """A buyer known by a credential not checked yet, and the user it named when last checked."""

    user_id: int

    def confirm(self) -> User:
        """Check the credential (raising as the ordinary check does) and return its user."""

    def confirm_along(self, statement: Prepared, params: Sequence[Any]) -> tuple[User, list[Any] | None]:
        """Check it in the round trip of `statement`, run for user_id: its rows, or None when the
        credential now names someone else."""


class ForSale(NamedTuple):
    """One wanted variant as read, with what pricing, the order rows and the response need of its
    product; its shop (with the owner) is one instance per shop of the checkout."""

    id: int
    product_id: int
    sku: str
    options: Any
    price: Decimal
    stock: int
    is_active: bool
    title: str
    is_listed: bool
    shop: Shop


class _Statements:
    """Checkout's read, writes and stock UPDATE as fixed SQL built once per database vendor
    (agora/core/sqlrows.py says why): with the ORM they were half of a checkout's CPU
    (bench/market/checkout_cpu.py, docs/performance.md)."""

    def __init__(self) -> None:
        user_model = Shop._meta.get_field("owner").related_model
        assert isinstance(user_model, type) and issubclass(user_model, Model)
        self.user_model = user_model
        # What order_json needs of the shop and its owner, in each model's field order (from_db
        # takes a subset of the fields in that order).
        self.shop_fields = in_field_order(
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
        )
        self.owner_fields = in_field_order(user_model, ["id", "followers_count"])
        # Related instances are put in the field's cache, as the descriptor would after its checks
        # (type, database router), which cost more than the rest of building the instance.
        self.shop_owner = Shop._meta.get_field("owner")
        self.order_shop = Order._meta.get_field("shop")
        # The buyer's address and the wanted variants in one statement (one round trip). The
        # variants are outer-joined, so a found address with no variant for sale still reads as
        # one row; no row at all means no such address of this buyer.
        self.select = Select(
            [
                ("a", Address, ADDRESS_FIELDS),
                ("v", Variant, ["id", "product_id", "sku", "options", "price", "stock", "is_active"]),
                ("p", Product, ["title", "is_listed"]),  # the variant's and product's: ForSale's fields
                ("s", Shop, self.shop_fields),
                ("u", user_model, self.owner_fields),
            ]
        )
        address, variant, product, shop, owner = self.select.spans
        self.address_at, self.item_at = address, slice(variant.start, product.stop)
        self.shop_at, self.owner_at = shop, owner
        qid = quote("id")
        self.head = (
            f"SELECT {self.select.sql} FROM {quote(Address._meta.db_table)} a "  # noqa: S608
            f"LEFT JOIN {quote(Variant._meta.db_table)} v ON v.{qid} "
        )
        self.tail = (
            f" LEFT JOIN {quote(Product._meta.db_table)} p ON p.{qid} = v.{quote('product_id')}"
            f" LEFT JOIN {quote(Shop._meta.db_table)} s ON s.{qid} = p.{quote('shop_id')}"
            f" LEFT JOIN {quote(user_model._meta.db_table)} u ON u.{qid} = s.{quote('owner_id')}"
            f" WHERE a.{qid} = %s AND a.{quote('user_id')} = %s"
        )
        # Planned once per PostgreSQL session (sqlrows.Prepared): the join cost more to plan than
        # to run.
        self.by_array = Prepared("agora_checkout_read", self.head + "= ANY(%s::bigint[])" + self.tail)
        self.checkouts = Table(Checkout)
        self.orders = Table(Order)
        self.lines = Table(OrderLine)
        self.events = Table(OrderEvent)
        self.outbox = Table(OutboxMessage)
        self.order_id = self.orders.names.index("id")
        v, stock = quote(Variant._meta.db_table), quote("stock")
        self.reserve = f"UPDATE {v} SET {stock} = {stock} - %s WHERE {qid} = %s"  # noqa: S608
        self.cart_delete = f"DELETE FROM {quote(CartItem._meta.db_table)} WHERE {qid} IN "  # noqa: S608

    def read(
        self, db: BaseDatabaseWrapper, buyer: User | DeferredBuyer, address_id: int, ids: Sequence[int]
    ) -> tuple[User, dict[str, str], dict[int, ForSale]]:
        """The buyer, their own address (access_address's check: someone else's reads as missing)
        and the variants of `ids` that exist, with their product and shop. A deferred buyer
        (PostgreSQL only) is checked in the same round trip."""
        if not isinstance(buyer, User):
            user, rows = buyer.confirm_along(self.by_array, [bigint_array(ids), address_id, buyer.user_id])
            if rows is None:  # the credential is someone else's now: read for them
                return self.read(db, user, address_id, ids)
            return user, *self._found(db, rows)
        if db.vendor == "postgresql":
            rows = self.by_array.fetch([bigint_array(ids), address_id, buyer.id])
        else:
            with db.cursor() as cursor:
                cursor.execute(
                    self.head + "IN (" + ", ".join(["%s"] * len(ids)) + ")" + self.tail,
                    [*ids, address_id, buyer.id],
                )
                rows = cursor.fetchall()
        return buyer, *self._found(db, rows)

    def _found(self, db: BaseDatabaseWrapper, rows: list[Any]) -> tuple[dict[str, str], dict[int, ForSale]]:
        if not rows:
            raise NotFound("No such address.")
        read = [self.select.read(db, row) for row in rows]
        found: dict[int, ForSale] = {}
        shops: dict[int, Shop] = {}
        for values in read:
            item = values[self.item_at]
            if item[0] is None:
                continue  # the address alone: none of the variants exists
            shop_values = values[self.shop_at]
            shop = shops.get(shop_values[0])
            if shop is None:
                shop = shops[shop_values[0]] = instance(Shop, db.alias, self.shop_fields, shop_values)
                owner = instance(self.user_model, db.alias, self.owner_fields, values[self.owner_at])
                self.shop_owner.set_cached_value(shop, owner)
            found[item[0]] = ForSale._make([*item, shop])
        address = dict(zip(ADDRESS_FIELDS, read[0][self.address_at], strict=True))
        return address, found

    def take_stock(self, variant_id: int, quantity: int) -> tuple[str, list[int]]:
        """The decrement; when the stock is short it breaks the CHECK stock >= 0 and raises."""
        return self.reserve, [quantity, variant_id]

    def delete_cart_items(self, ids: Sequence[int]) -> tuple[str, list[int]]:
        return self.cart_delete + "(" + ", ".join(["%s"] * len(ids)) + ")", list(ids)


_statements: dict[str, _Statements] = {}


def _sql(db: BaseDatabaseWrapper) -> _Statements:
    found = _statements.get(db.vendor)
    if found is None:
        found = _statements[db.vendor] = _Statements()
    return found


def _known(buyer: User | DeferredBuyer) -> User:
    """The buyer as a user: a deferred one is checked first (raising as the ordinary check does)."""
    return buyer if isinstance(buyer, User) else buyer.confirm()


def _out_of_stock(item: ForSale, wanted: int, left: int) -> None:
    raise out_of_stock(item.id, item.title, item.sku, item.options, wanted, left)


def place_orders(
    buyer: User,
    *,
    address_id: int,
    items: Sequence[Wanted] | None = None,
    from_cart: bool = False,
    idempotency_key: str | None = None,
) -> list[Placed]:
    """checkout.place_orders."""
    return _place(buyer, address_id, items, from_cart, idempotency_key)


def place_orders_deferred(
    buyer: DeferredBuyer,
    *,
    address_id: int,
    items: Sequence[Wanted] | None = None,
    from_cart: bool = False,
    idempotency_key: str | None = None,
) -> list[Placed]:
    """checkout.place_orders for a buyer whose credential is checked in the checkout's first read."""
    return _place(buyer, address_id, items, from_cart, idempotency_key)


def _place(
    buyer: User | DeferredBuyer,
    address_id: int,
    items: Sequence[Wanted] | None,
    from_cart: bool,
    idempotency_key_: str | None,
) -> list[Placed]:
    key = normalise_key(idempotency_key_)
    if not isinstance(buyer, User) and (key or from_cart):
        buyer = buyer.confirm()  # these read the buyer's rows before the checkout's own read
    if key:
        prior = prior_checkout(_known(buyer), key)
        if prior is not None:
            return prior
    # Looked up once: each attribute of django.db.connection is a thread-local lookup.
    db = connections[DEFAULT_DB_ALIAS]
    sql = _sql(db)
    cart_ids: list[int] = []
    if from_cart:
        rows = list(
            CartItem.objects.filter(user=_known(buyer))
            .order_by("id")
            .values_list("id", "variant_id", "quantity", "source_status_id")
        )
        cart_ids = [r[0] for r in rows]
        items = [Wanted(variant_id=r[1], quantity=r[2], source_status_id=r[3]) for r in rows]
    try:
        wanted = check_items(items or [])
    except Invalid:
        # The address is checked first, as it always was: a missing one is the error to report.
        if not Address.objects.filter(id=address_id, user_id=_known(buyer).id).exists():
            raise NotFound("No such address.") from None
        raise
    buyer, address, variants = sql.read(db, buyer, address_id, sorted(wanted))
    for variant_id in wanted:
        item = variants.get(variant_id)
        if item is None or not item.is_active or not item.is_listed:
            raise unavailable(variant_id)
        if item.shop.owner_id == buyer.id:
            raise own_shop()
    for variant_id, quantity in wanted.items():
        if variants[variant_id].stock < quantity:  # already short: refuse before writing anything
            _out_of_stock(variants[variant_id], quantity, variants[variant_id].stock)
    now = timezone.now()
    checkout_id = new_id() if key else None
    new = _price(sql, buyer, checkout_id, address, variants, wanted, sources_of(items or []), now)
    # One transaction, written in one go (sqlrows.run_atomically): on PostgreSQL a single query, so
    # the hot stock row is locked only while the server runs it, never while a Python thread waits
    # for the GIL. The key row goes first: a concurrent duplicate waits on its unique index, then
    # fails and finds our orders. Stock is taken last, in variant-id order (no deadlocks), by plain
    # decrements: a short one breaks the CHECK stock >= 0 and nothing at all is written.
    statements = []
    if checkout_id is not None:
        checkout = sql.checkouts.values(
            id=checkout_id, buyer_id=buyer.id, idempotency_key=key, created_at=now
        )
        statements.append(sql.checkouts.insert(db, [checkout]))
    statements += [
        sql.orders.insert(db, [o.row for o in new]),
        sql.lines.insert(db, [line for o in new for line in o.lines]),
        sql.events.insert(db, [o.event for o in new]),
    ]
    statements += [sql.take_stock(variant_id, wanted[variant_id]) for variant_id in sorted(wanted)]
    if cart_ids:
        statements.append(sql.delete_cart_items(cart_ids))
    # The shops' notices, in the outbox in the same transaction (placing.announce for the ORM twin):
    # relayed after the commit below, or by the outbox's sweep if this process dies first.
    notices = outbox.Batch(announcement(buyer.id, [(o.shop.owner_id, o.row[sql.order_id]) for o in new]))
    statements.append(sql.outbox.insert(db, [sql.outbox.values(id=notices.id, calls=notices.payload())]))
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
    placed = []
    for o in new:
        order = sql.orders.instance(db, o.row)
        sql.order_shop.set_cached_value(order, o.shop)
        placed.append(Placed(order, [sql.lines.instance(db, line) for line in o.lines]))
    outbox.relay_after_commit(notices)
    return placed


@dataclass(frozen=True)
class _NewOrder:
    """One order's rows, in column order, before they are written."""

    shop: Shop
    row: list[Any]
    lines: list[list[Any]]
    event: list[Any]  # its audit row


def _price(
    sql: _Statements,
    buyer: User,
    checkout_id: int | None,
    address: dict[str, str],
    variants: dict[int, ForSale],
    wanted: dict[int, int],
    sources: dict[int, int],
    now: datetime,
) -> list[_NewOrder]:
    """One order per shop, priced here from the variants just read."""
    by_shop: dict[int, list[ForSale]] = defaultdict(list)
    for variant_id in sorted(wanted):
        by_shop[variants[variant_id].shop.id].append(variants[variant_id])
    new: list[_NewOrder] = []
    for shop_id in sorted(by_shop):
        shop = by_shop[shop_id][0].shop
        order_id = new_id()
        lines = []
        subtotal = Decimal("0.00")
        for v in by_shop[shop_id]:
            quantity = wanted[v.id]
            line_total = v.price * quantity
            subtotal += line_total
            lines.append(
                sql.lines.values(
                    id=new_id(),
                    order_id=order_id,
                    variant_id=v.id,
                    product_id=v.product_id,
                    title=v.title,
                    sku=v.sku,
                    options=v.options,
                    unit_price=v.price,
                    quantity=quantity,
                    line_total=line_total,
                    source_status_id=sources.get(v.id),
                )
            )
        shipping = shop.shipping_for(subtotal)
        row = sql.orders.values(
            id=order_id,
            checkout_id=checkout_id,
            buyer_id=buyer.id,
            shop_id=shop_id,
            status=OrderStatus.AWAITING_PAYMENT,
            address=address,
            currency=shop.currency,
            subtotal=subtotal,
            shipping=shipping,
            discount=Decimal("0.00"),
            total=subtotal + shipping,
            created_at=now,
            pay_by=now + pay_window(),
        )
        event = sql.events.values(
            id=new_id(),
            order_id=order_id,
            from_status="",
            to_status=OrderStatus.AWAITING_PAYMENT,
            event="create",
            actor_id=buyer.id,
            created_at=now,
        )
        new.append(_NewOrder(shop, row, lines, event))
    return new
