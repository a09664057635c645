"""Demo boards: the demo user's Wishlist and a public board of products and posts, and a few other demo
people's public boards (one followed by the demo user). After the catalog's and the square's seeds
(INSTALLED_APPS order); called by `agora seed`.

Also the demo's shoppable posts (social's StatusProduct), seeded here because boards is the first app
seeded after both the square and the market: each demo shop announces its products in a post, two
people share one by its page's link, the demo account posts a haul."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any

from agora.boards.actions import do_create_board, do_follow_board, do_pin
from agora.boards.models import Board
from agora.boards.selectors import wishlist_of
from agora.catalog.models import Product
from agora.catalog.seed import demo_people
from agora.social.actions import do_create_status
from agora.social.models import Status, StatusMedia

BOARDS = [
    ("茶与厨房 · Tea & kitchen", "Things for a slow afternoon."),
    ("Home ideas · 家居灵感", "Pictures and products I keep coming back to."),
    ("送礼清单 · Gift list", ""),
]


def shoppable_posts(demo, people: list, rng: random.Random) -> None:
    if Status.objects.filter(author__in=[demo, *people], has_products=True).exists():
        return  # already seeded
    products = list(Product.objects.filter(is_listed=True, shop__owner__in=people).order_by("id"))
    by_shop: dict[int, list[Product]] = {}
    for product in products:
        by_shop.setdefault(product.shop_id, []).append(product)
    sharers = [p for p in people if p.id not in {items[0].shop.owner_id for items in by_shop.values()}]
    for items in by_shop.values():
        owner, name = items[0].shop.owner, items[0].shop.name
        do_create_status(
            owner, f"上新了 New in at {name} #双十一购物节#", product_ids=[p.id for p in items[:9]]
        )
        for sharer in rng.sample(sharers, k=min(2, len(sharers))):
            do_create_status(sharer, f"这个不错 Worth a look: /market/products/{items[-1].id}")
    if products:
        do_create_status(
            demo, "我的双十一清单 My haul #双十一购物节#", product_ids=[p.id for p in products[::2]][:9]
        )


def seed(*, rng: random.Random, progress: Callable[..., Iterable[Any]], options: dict[str, Any]) -> None:
    demo, people = demo_people(options)
    if demo is not None:
        shoppable_posts(demo, people, rng)
    if demo is None or Board.objects.filter(owner=demo, is_wishlist=False).exists():
        return  # no demo users, or already seeded
    products = list(Product.objects.filter(is_listed=True).order_by("id")[:40])
    posts = list(Status.objects.filter(visibility="public", reblog_of__isnull=True).order_by("-id")[:60])
    pictures = list(
        StatusMedia.objects.filter(status__in=[p.id for p in posts]).values_list("media_id", flat=True)[:30]
    )
    if not products:
        return  # the catalog's seed did not run
    wishlist = wishlist_of(demo)
    for product in rng.sample(products, k=min(4, len(products))):
        do_pin(demo, wishlist, product_id=product.id)
    owners = [demo, *people[-3:]]
    made = []
    for n, owner in enumerate(progress(owners, desc="boards", unit="owner")):
        name, description = BOARDS[n % len(BOARDS)]
        board = do_create_board(owner, name=name, description=description)
        made.append(board)
        for product in rng.sample(products, k=min(5, len(products))):
            do_pin(owner, board, product_id=product.id, note=rng.choice(["", "想要", "Love the colour"]))
        for post in rng.sample(posts, k=min(3, len(posts))):
            do_pin(owner, board, status_id=post.id)
        for media_id in rng.sample(pictures, k=min(3, len(pictures))):
            do_pin(owner, board, media_id=media_id)
    for board in made[1:2]:
        do_follow_board(demo, board)
