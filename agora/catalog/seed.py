"""Demo data for the market: shops with products and variants. The demo orders that buy them are
seeded by reviews/seed.py, the market app above the others. Called by `agora seed`."""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterable
from typing import Any

from PIL import Image

from agora.accounts.models import User
from agora.catalog.actions import do_create_product
from agora.media.actions import do_upload_media
from agora.shops.actions import do_create_shop
from agora.shops.models import Shop

SHOPS = [
    (
        "西湖茶庄 West Lake Tea",
        "tea",
        "明前龙井，产地直发。",
        [
            ("明前龙井 Longjing green tea", {"规格": ["100g", "250g"]}, ["68.00", "158.00"]),
            ("白茶饼 White tea cake", {"年份": ["2019", "2021"]}, ["128.00", "98.00"]),
        ],
    ),
    (
        "小城手作 Small Town Crafts",
        "bags",
        "Handmade leather goods.",
        [
            ("手工皮包 Leather tote", {"颜色": ["棕", "黑"]}, ["399.00", "399.00"]),
            ("Card wallet 卡包", {"color": ["tan", "navy", "red"]}, ["89.00", "89.00", "99.00"]),
        ],
    ),
    (
        "极客数码 Geek Gadgets",
        "audio",
        "Gadgets we use ourselves.",
        [
            ("蓝牙耳机 Wireless earbuds", {"颜色": ["白", "黑"]}, ["199.00", "199.00"]),
            ("USB-C charger 65W", {"plug": ["CN", "EU"]}, ["129.00", "139.00"]),
        ],
    ),
    (
        "衣橱 The Wardrobe",
        "womens-clothing",
        "每周上新。",
        [
            ("真丝连衣裙 Silk dress", {"颜色": ["红", "蓝"], "size": ["S", "M", "L"]}, ["259.00"]),
            ("Linen shirt 亚麻衬衫", {"size": ["M", "L", "XL"]}, ["149.00"]),
        ],
    ),
]
COLOURS = [(228, 57, 60), (52, 120, 246), (46, 160, 67), (245, 166, 35), (142, 68, 173), (90, 90, 90)]


def _image(owner: User, rng: random.Random) -> int:
    out = io.BytesIO()
    Image.new("RGB", (480, 480), rng.choice(COLOURS)).save(out, "PNG")
    return do_upload_media(owner, out.getvalue(), description="demo product photo").id


def _variants(options: dict[str, list[str]], prices: list[str], rng: random.Random) -> list[dict[str, Any]]:
    combos: list[dict[str, str]] = [{}]
    for name, values in options.items():
        combos = [{**c, name: v} for c in combos for v in values]
    return [
        {
            "sku": f"V{i + 1}-{rng.randrange(1000, 9999)}",
            "options": combo,
            "price": prices[i % len(prices)],
            "stock": rng.randint(5, 200),
        }
        for i, combo in enumerate(combos)
    ]


def demo_people(options: dict[str, Any]) -> tuple[User | None, list[User]]:
    """The demo user and the other demo people: the first len(SHOPS) of them sell, the rest buy."""
    demo = User.objects.filter(username__iexact=options["demo_username"]).first()
    if demo is None:
        return None, []
    people = list(
        User.objects.filter(email__endswith="@" + options["email_domain"])
        .exclude(id=demo.id)
        .order_by("id")[: len(SHOPS) + 20]
    )
    return demo, people


def seed(*, rng: random.Random, progress: Callable[..., Iterable[Any]], options: dict[str, Any]) -> None:
    demo, people = demo_people(options)
    if demo is None or len(people) < len(SHOPS) or Shop.objects.filter(owner__in=people).exists():
        return  # already seeded, or no demo users
    for owner, (name, category, about, items) in progress(
        list(zip(people[: len(SHOPS)], SHOPS, strict=True)), desc="market: shops", unit="shop"
    ):
        shop = do_create_shop(
            owner,
            name=name,
            description=about,
            shipping_fee="8.00",
            free_shipping_threshold="99.00",
            return_policy="7 天无理由退货 / 7-day returns",
            logo_id=_image(owner, rng),
        )
        for title, opts, prices in items:
            do_create_product(
                owner,
                shop,
                title=title,
                category=category,
                description=f"{title}. 支持七天无理由退货。",
                media_ids=[_image(owner, rng)],
                variants=_variants(opts, prices, rng),
            )
