"""Test helpers: a completed purchase and its review."""

from __future__ import annotations

from collections.abc import Sequence

from agora.accounts.models import User
from agora.catalog.models import Product
from agora.catalog.testing import first_variant
from agora.orders.actions import do_confirm_receipt, do_ship_order
from agora.payments.testing import buy
from agora.reviews.actions import do_create_review
from agora.reviews.models import Review


def reviewed_purchase(
    buyer: User, product: Product, *, rating: int = 5, text: str = "Lovely", media_ids: Sequence[int] = ()
) -> Review:
    """`buyer` buys one of `product`, the seller ships, the buyer confirms receipt and reviews it."""
    order = buy(buyer, first_variant(product), 1, pay=True)
    do_ship_order(product.shop.owner, order.id, carrier="SF", tracking_number="1")
    do_confirm_receipt(buyer, order.id)
    return do_create_review(buyer, order.lines.get().id, rating=rating, text=text, media_ids=media_ids)
