from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from agora.accounts.models import User
from agora.core.errors import Conflict, Invalid
from agora.core.money import parse_money
from agora.media.actions import claim_media
from agora.shops.models import Shop

SHOP_FIELDS = ("name", "description", "shipping_fee", "free_shipping_threshold", "return_policy")


def check_shop_fields(fields: dict) -> dict:
    clean: dict = {}
    if "name" in fields:
        name = (fields["name"] or "").strip()
        if not 1 <= len(name) <= 60:
            raise Invalid("A shop name has 1 to 60 characters.", code="invalid_name")
        clean["name"] = name
    if "description" in fields:
        if len(fields["description"] or "") > 2000:
            raise Invalid("The description is longer than 2,000 characters.", code="description_too_long")
        clean["description"] = fields["description"] or ""
    if "return_policy" in fields:
        if len(fields["return_policy"] or "") > 4000:
            raise Invalid("The return policy is longer than 4,000 characters.", code="return_policy_too_long")
        clean["return_policy"] = fields["return_policy"] or ""
    if "shipping_fee" in fields:
        clean["shipping_fee"] = parse_money(fields["shipping_fee"] or "0", field="shipping_fee")
    if "free_shipping_threshold" in fields:
        raw = fields["free_shipping_threshold"]
        clean["free_shipping_threshold"] = (
            None if raw in (None, "") else parse_money(raw, field="free_shipping_threshold")
        )
    return clean


def do_create_shop(
    owner: User,
    *,
    name: str,
    description: str = "",
    logo_id: int | None = None,
    shipping_fee: Decimal | str = "0",
    free_shipping_threshold: Decimal | str | None = None,
    return_policy: str = "",
) -> Shop:
    clean = check_shop_fields(
        {
            "name": name,
            "description": description,
            "shipping_fee": shipping_fee,
            "free_shipping_threshold": free_shipping_threshold,
            "return_policy": return_policy,
        }
    )
    if Shop.objects.filter(owner=owner).exists():
        raise Conflict("You already have a shop; an account has one shop.", code="shop_exists")
    try:
        with transaction.atomic():
            logo = claim_media(owner, [logo_id], limit=1)[0] if logo_id else None
            return Shop.objects.create(owner=owner, logo=logo, **clean)
    except IntegrityError as exc:  # a concurrent request created it first
        raise Conflict("You already have a shop; an account has one shop.", code="shop_exists") from exc


def do_update_shop(actor: User, shop: Shop, *, logo_id: int | None = None, **fields: object) -> Shop:
    clean = check_shop_fields({k: v for k, v in fields.items() if k in SHOP_FIELDS})
    with transaction.atomic():
        if logo_id:
            shop.logo = claim_media(actor, [logo_id], limit=1)[0]
            clean["logo"] = shop.logo
        for key, value in clean.items():
            setattr(shop, key, value)
        if clean:
            shop.save(update_fields=list(clean))
    return shop


def add_rating(shop_id: int, rating: int) -> None:
    """Count one more review of the shop (its rating is total / count); called inside the review's
    transaction by reviews.actions."""
    Shop.objects.filter(id=shop_id).update(
        rating_count=F("rating_count") + 1, rating_total=F("rating_total") + rating
    )
