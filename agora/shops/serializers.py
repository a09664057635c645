from __future__ import annotations

from typing import Any

from agora.accounts.serializers import absolute, account_json
from agora.core.money import money_str
from agora.media.serializers import media_json
from agora.shops.models import Shop


def shop_json(shop: Shop, *, full: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(shop.id),
        "name": shop.name,
        "logo": media_json(shop.logo) if shop.logo_id and shop.logo else None,
        "rating": shop.rating,
        "rating_count": shop.rating_count,
        # A shop is followed by following its owner's account.
        "followers_count": shop.owner.followers_count,
        "url": f"/shop/{shop.id}",
    }
    if full:
        data.update(
            {
                "description": shop.description,
                "owner": account_json(shop.owner),
                "currency": shop.currency,
                "shipping_fee": money_str(shop.shipping_fee),
                "free_shipping_threshold": money_str(shop.free_shipping_threshold),
                "return_policy": shop.return_policy,
                "created_at": shop.created_at.isoformat(),
            }
        )
    return data


def account_shop_json(shop: Shop | None) -> dict[str, str] | None:
    """`agora_shop` on an account's JSON (the single-account reads): the shop its owner runs, or
    None. Following the account is following the shop."""
    if shop is None:
        return None
    return {"id": str(shop.id), "name": shop.name, "url": absolute(f"/shop/{shop.id}")}
