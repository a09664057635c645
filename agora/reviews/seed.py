"""Demo orders for the market's demo shops (catalog/seed.py): the demo buyer has one in each state
(completed and reviewed, shipped, paid, awaiting payment), other demo people buy and review too.
Here because it uses every market app, and reviews sit above the others. Called by `agora seed`."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any

from agora.catalog.models import Product
from agora.catalog.seed import SHOPS, demo_people
from agora.orders.actions import do_confirm_receipt, do_create_address, do_ship_order
from agora.orders.checkout import Wanted, do_checkout
from agora.orders.models import Order
from agora.payments.actions import do_sandbox_outcome, do_start_payment
from agora.reviews.actions import do_create_review

REVIEWS = ["很好，会回购", "Exactly as described.", "包装很用心", "Fast shipping, thanks!", "质量不错"]


def seed(*, rng: random.Random, progress: Callable[..., Iterable[Any]], options: dict[str, Any]) -> None:
    demo, people = demo_people(options)
    if demo is None or Order.objects.filter(buyer=demo).exists():
        return  # no demo users, or already seeded
    sellers, buyers = people[: len(SHOPS)], people[len(SHOPS) :]
    products = list(Product.objects.filter(shop__owner__in=sellers).select_related("shop").order_by("id"))
    if not products:
        return  # the catalog's seed did not run
    for buyer in progress([demo, *buyers], desc="market: orders", unit="buyer"):
        address = do_create_address(
            buyer,
            recipient=buyer.name,
            phone="13800000000",
            province="浙江",
            city="杭州",
            district="西湖区",
            street="文三路 1 号",
            postal_code="310000",
        )
        picks = rng.sample(products, k=4 if buyer is demo else 1)
        for n, product in enumerate(picks):
            variant = rng.choice(list(product.variants.all()))
            order = do_checkout(buyer, address_id=address.id, items=[Wanted(variant.id, rng.randint(1, 2))])[
                0
            ]
            if n == 3:
                continue  # left awaiting payment
            do_sandbox_outcome(buyer, do_start_payment(buyer, [order.id]).id, "succeeded")
            if n == 2:
                continue  # paid, not shipped
            do_ship_order(
                product.shop.owner, order.id, carrier="顺丰 SF", tracking_number=f"SF{order.id % 10**10}"
            )
            if n == 1:
                continue  # shipped, on its way
            do_confirm_receipt(buyer, order.id)
            do_create_review(buyer, order.lines.get().id, rating=rng.randint(3, 5), text=rng.choice(REVIEWS))
