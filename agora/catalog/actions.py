from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Min, Sum
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.catalog.events import BACK_IN_STOCK, PRICE_DROPPED, PRODUCT_CHANGED
from agora.catalog.models import Product, StockAdjustment, Variant
from agora.catalog.selectors import find_category
from agora.core.errors import Conflict, Invalid, NotFound
from agora.core.ids import new_id
from agora.core.money import parse_money
from agora.media.actions import claim_media
from agora.shops.models import Shop

MAX_VARIANTS = 100
MAX_STOCK = 1_000_000
MAX_IMAGES = 9


def check_variant(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "sku" in data or not partial:
        sku = str(data.get("sku") or "").strip()
        if not 1 <= len(sku) <= 64:
            raise Invalid("Each variant needs a sku of 1 to 64 characters.", code="invalid_sku")
        clean["sku"] = sku
    if "options" in data or not partial:
        options = data.get("options") or {}
        if (
            not isinstance(options, dict)
            or len(options) > 10
            or not all(
                isinstance(k, str) and isinstance(v, str) and 0 < len(k) <= 30 and len(v) <= 60
                for k, v in options.items()
            )
        ):
            raise Invalid(
                'options maps up to 10 names to values, e.g. {"颜色": "红"}.', code="invalid_options"
            )
        clean["options"] = options
    if "price" in data or not partial:
        clean["price"] = parse_money(data.get("price"), field="price")
    if "stock" in data or not partial:
        stock = data.get("stock", 0)
        if not _is_count(stock, 0):
            raise Invalid(f"stock is a whole number from 0 to {MAX_STOCK}.", code="invalid_stock")
        clean["stock"] = stock
    if partial and data.get("stock_shown") is not None and "stock" in clean:
        # The seller typed a new count over the one the form showed: apply the difference, so units
        # checkouts reserved since the form was read stay reserved instead of being sold twice.
        shown = data["stock_shown"]
        if not _is_count(shown, 0):
            raise Invalid(f"stock_shown is a whole number from 0 to {MAX_STOCK}.", code="invalid_stock")
        clean["stock_delta"] = clean.pop("stock") - shown
    if data.get("stock_delta") is not None:
        if "stock_delta" in clean or "stock" in clean or not partial:
            raise Invalid(
                "stock_delta changes an existing variant's stock; send it instead of stock, not with it.",
                code="invalid_stock",
            )
        if not _is_count(data["stock_delta"], -MAX_STOCK):
            raise Invalid(
                f"stock_delta is a whole number from -{MAX_STOCK} to {MAX_STOCK}.", code="invalid_stock"
            )
        clean["stock_delta"] = data["stock_delta"]
    if "is_active" in data and data["is_active"] is not None:
        clean["is_active"] = bool(data["is_active"])
    return clean


def _is_count(value: object, low: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= MAX_STOCK


def check_product_fields(fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "title" in fields:
        title = (fields["title"] or "").strip()
        if not 1 <= len(title) <= 120:
            raise Invalid("A title has 1 to 120 characters.", code="invalid_title")
        clean["title"] = title
    if "description" in fields:
        if len(fields["description"] or "") > 10000:
            raise Invalid("The description is longer than 10,000 characters.", code="description_too_long")
        clean["description"] = fields["description"] or ""
    if "category" in fields:
        raw = fields["category"]
        if raw in (None, ""):
            clean["category"] = None
        else:
            cat = find_category(raw)
            if cat is None:
                raise Invalid("Unknown category.", code="invalid_category")
            clean["category"] = cat
    return clean


def refresh_product_price(product_id: int) -> None:
    low = Variant.objects.filter(product_id=product_id, is_active=True).aggregate(m=Min("price"))["m"]
    Product.objects.filter(id=product_id).update(min_price=low or 0)


def _stock_of(product_id: int) -> int:
    return Variant.objects.filter(product_id=product_id, is_active=True).aggregate(n=Sum("stock"))["n"] or 0


def _announce_changes(product_id: int, was_price: Decimal, was_stock: int) -> None:
    """Publish a price drop and a return to stock (after commit, so a rolled-back edit says nothing)."""
    now = Product.objects.filter(id=product_id).values_list("min_price", "is_listed").first()
    if now is None or not now[1]:
        return
    stock = _stock_of(product_id)
    if 0 < now[0] < was_price and stock > 0:
        PRICE_DROPPED.publish(product_id, new_id())
    if was_stock <= 0 < stock:
        BACK_IN_STOCK.publish(product_id, new_id())


def _add_stock(variant: Variant, delta: int) -> None:
    """Change the stock by `delta` in one conditional UPDATE, relative to the row as it is now.

    The WHERE keeps the result within 0..MAX_STOCK, so a change that would go below zero is a clear
    409 rather than the CHECK constraint's IntegrityError (which aborts the transaction on PostgreSQL)."""
    moved = Variant.objects.filter(id=variant.id, stock__gte=-delta, stock__lte=MAX_STOCK - delta).update(
        stock=F("stock") + delta
    )
    if not moved:
        now = Variant.objects.filter(id=variant.id).values_list("stock", flat=True).first() or 0
        raise Conflict(
            _(
                "The stock of %(sku)s has changed: %(now)d in stock now, so changing it by %(delta)+d "
                "would make %(result)d. Nothing was saved; check the count and try again."
            )
            % {"sku": variant.sku, "now": now, "delta": delta, "result": now + delta},
            code="stock_conflict",
            variant_id=str(variant.id),
            stock=now,
        )


def _write_variants(product: Product, variants: Sequence[dict[str, Any]]) -> None:
    existing = {v.id: v for v in product.variants.all()}
    seen_skus: set[str] = set()
    # Existing rows in primary-key order, as checkout locks them, so the two cannot deadlock.
    for raw in sorted(variants, key=lambda r: (not r.get("id"), int(r.get("id") or 0))):
        vid = raw.get("id")
        if vid:
            variant = existing.get(int(vid))
            if variant is None:
                raise NotFound(f"Variant {vid} is not part of this product.", code="invalid_variant")
            clean = check_variant(raw, partial=True)
            delta = clean.pop("stock_delta", 0)
            for key, value in clean.items():
                setattr(variant, key, value)
            if clean:
                variant.save(update_fields=list(clean))
            if delta:
                _add_stock(variant, delta)
            sku = variant.sku
        else:
            clean = check_variant(raw)
            sku = clean["sku"]
            Variant.objects.create(product=product, **clean)
        if sku in seen_skus:  # as the unique constraint answers a sku another variant has: 409
            raise Conflict(f"The sku {sku!r} appears twice.", code="duplicate_sku")
        seen_skus.add(sku)


def do_create_product(
    actor: User,
    shop: Shop,
    *,
    title: str,
    description: str = "",
    category: object = None,
    media_ids: Sequence[int] = (),
    variants: Sequence[dict[str, Any]],
) -> Product:
    clean = check_product_fields({"title": title, "description": description, "category": category})
    if not variants:
        raise Invalid("A product needs at least one variant.", code="no_variants")
    if len(variants) > MAX_VARIANTS:
        raise Invalid(f"A product has at most {MAX_VARIANTS} variants.", code="too_many_variants")
    checked = [check_variant(v) for v in variants]
    if len({v["sku"] for v in checked}) != len(checked):
        raise Conflict("Each variant's sku must be different.", code="duplicate_sku")
    with transaction.atomic():
        images = claim_media(actor, list(media_ids), limit=MAX_IMAGES) if media_ids else []
        product = Product.objects.create(
            shop=shop, currency=shop.currency, image_ids=[m.id for m in images], **clean
        )
        Variant.objects.bulk_create([Variant(product=product, **v) for v in checked])
        refresh_product_price(product.id)
    product.refresh_from_db()
    return product


def _stock_deltas(variants: Sequence[dict[str, Any]] | None) -> dict[str, int]:
    """The stock differences a change asks for, by variant id (checked as _write_variants checks)."""
    deltas: dict[str, int] = {}
    for raw in variants or ():
        if raw.get("id") and (raw.get("stock_delta") is not None or raw.get("stock_shown") is not None):
            delta = check_variant(raw, partial=True).get("stock_delta")
            if delta:
                deltas[str(int(raw["id"]))] = delta
    return deltas


def _change_hash(product: Product, media_ids: Any, variants: Any, is_listed: Any, fields: Any) -> str:
    asked = [product.id, media_ids, variants, is_listed, sorted(fields.items())]
    return hashlib.sha256(json.dumps(asked, sort_keys=True, default=str).encode()).hexdigest()


def _prior_adjustment(actor: User, key: str, product: Product, request_hash: str) -> StockAdjustment | None:
    prior = StockAdjustment.objects.filter(actor=actor, idempotency_key=key).first()
    if prior is not None and (prior.product_id != product.id or prior.request_hash != request_hash):
        raise Invalid(
            "This Idempotency-Key was sent with another change; use a new key.", code="idempotency_key_reused"
        )
    return prior


def do_update_product(
    actor: User,
    product: Product,
    *,
    media_ids: Sequence[int] | None = None,
    variants: Sequence[dict[str, Any]] | None = None,
    is_listed: bool | None = None,
    idempotency_key: str | None = None,
    **fields: Any,
) -> Product:
    """Change a product and its variants. A stock difference (stock_delta, or a count typed over
    stock_shown) is recorded as a StockAdjustment in the same transaction; with an Idempotency-Key, a
    repeat (a retry after a lost response, even once the web process that did it died) finds it and
    changes nothing again, and the key with another change is refused (422 idempotency_key_reused)."""
    clean = check_product_fields(fields)
    deltas = _stock_deltas(variants)
    key = ((idempotency_key or "").strip()[:200] or None) if deltas else None
    request_hash = _change_hash(product, media_ids, variants, is_listed, fields) if key else ""
    if key and _prior_adjustment(actor, key, product, request_hash) is not None:
        product.refresh_from_db()
        return product
    try:
        with transaction.atomic():
            if deltas:
                # First: a concurrent repeat of the key waits on its unique index, then fails and
                # finds this change instead of making it twice.
                StockAdjustment.objects.create(
                    product=product,
                    actor=actor,
                    deltas=deltas,
                    idempotency_key=key,
                    request_hash=request_hash,
                )
            if media_ids is not None:
                keep = [i for i in media_ids if i in product.image_ids]
                new = [i for i in media_ids if i not in product.image_ids]
                if len(media_ids) > MAX_IMAGES:
                    raise Invalid(f"At most {MAX_IMAGES} images may be attached.", code="too_many_media")
                claimed = {m.id for m in claim_media(actor, new, limit=MAX_IMAGES)} if new else set()
                clean["image_ids"] = [i for i in media_ids if i in claimed or i in keep]
            if is_listed is not None:
                clean["is_listed"] = is_listed
            for key, value in clean.items():
                setattr(product, key, value)
            if clean:
                product.save(update_fields=[*clean, "updated_at"])
            if variants is not None:
                was_price, was_stock = product.min_price, _stock_of(product.id)
                _write_variants(product, variants)
                refresh_product_price(product.id)
                _announce_changes(product.id, was_price, was_stock)
            if clean or variants is not None:
                PRODUCT_CHANGED.publish(product.id)
    except IntegrityError as exc:
        if key and _prior_adjustment(actor, key, product, request_hash) is not None:
            product.refresh_from_db()  # a concurrent request with the same key committed first
            return product
        raise Conflict("A variant with that sku already exists.", code="duplicate_sku") from exc
    product.refresh_from_db()
    return product


def do_delist_product(actor: User, product: Product) -> None:
    # Delisting keeps the rows: past orders point at them and keep their own snapshot anyway.
    with transaction.atomic():
        Product.objects.filter(id=product.id).update(is_listed=False)
        PRODUCT_CHANGED.publish(product.id)


def return_stock(items: Iterable[tuple[int, int]]) -> None:
    """Put (variant id, quantity) units back on sale, e.g. a cancelled order's. Variant-id order, as
    checkout takes stock, so the two cannot deadlock."""
    for variant_id, quantity in sorted(items):
        Variant.objects.filter(id=variant_id).update(stock=F("stock") + quantity)


def add_sales(items: Iterable[tuple[int, int]]) -> None:
    """Count (product id, quantity) units as sold: a paid order's lines (payments.actions)."""
    for product_id, quantity in sorted(items):
        Product.objects.filter(id=product_id).update(sales_count=F("sales_count") + quantity)


def add_rating(product_id: int, rating: int) -> None:
    """Count one more review of the product (its rating is total / count): reviews.actions."""
    Product.objects.filter(id=product_id).update(
        rating_count=F("rating_count") + 1, rating_total=F("rating_total") + rating
    )
