"""What a post shows of the products it carries (a shoppable post): the API's `agora_products` and the
`card` Mastodon clients preview, and the web's product cards.

The post keeps each product's title and picture as they were when it was attached (StatusProduct);
the rest is read live from the market through catalog.selectors.product_facts. A page costs the same
two queries whether one post on it carries a product or all of them (none when no post does:
Status.has_products). A delisted product stays on the post as unavailable, never as a broken card.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from agora.accounts.serializers import absolute
from agora.catalog.selectors import product_facts
from agora.core.money import money_str
from agora.social.models import Status, StatusProduct

# How a price reads in a card's description, by currency; others read "USD 12.00".
CURRENCY_SIGNS = {"CNY": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "TWD": "NT$"}


def price_label(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return ""
    text = money_str(amount) or ""
    sign = CURRENCY_SIGNS.get(currency)
    return f"{sign}{text}" if sign else f"{currency} {text}"


@dataclass
class ProductCard:
    """One product on a post: the snapshot taken when it was attached plus the market's facts now."""

    id: int
    title: str
    image_path: str
    image_width: int
    image_height: int
    price: Decimal | None
    currency: str
    shop_id: int | None
    shop_name: str
    available: bool  # still listed (a delisted or removed product is shown, as unavailable)
    in_stock: bool
    rating: float | None
    sold_count: int

    @property
    def path(self) -> str:
        return f"/market/products/{self.id}"

    @property
    def price_label(self) -> str:
        return price_label(self.price, self.currency)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "title": self.title,
            "image": absolute(self.image_path) if self.image_path else None,
            "price": money_str(self.price),
            "currency": self.currency,
            "shop": {"id": str(self.shop_id), "name": self.shop_name} if self.shop_id else None,
            "in_stock": self.in_stock,
            "available": self.available,
            "rating": self.rating,
            "sold_count": self.sold_count,
            "url": absolute(self.path),
        }

    def preview_card(self) -> dict[str, Any]:
        """Mastodon's PreviewCard (REST::PreviewCardSerializer's fields), so clients that know nothing
        of Agora show the first product as a link preview."""
        if not self.available:
            state = "Unavailable"
        elif not self.in_stock:
            state = f"{self.price_label} · Sold out"
        else:
            state = self.price_label
        description = f"{state} · {self.shop_name}" if self.shop_name else state
        shop_url = absolute(f"/shop/{self.shop_id}") if self.shop_id else ""
        return {
            "url": absolute(self.path),
            "title": self.title,
            "description": description,
            "language": None,
            "type": "link",
            "author_name": self.shop_name,
            "author_url": shop_url,
            "provider_name": settings.AGORA.site_title,
            "provider_url": absolute("/"),
            "html": "",
            "width": self.image_width if self.image_path else 0,
            "height": self.image_height if self.image_path else 0,
            "image": absolute(self.image_path) if self.image_path else None,
            "image_description": self.title if self.image_path else "",
            "embed_url": "",
            "blurhash": None,
            "published_at": None,
            "authors": [],
        }


def product_cards(statuses: Iterable[Status | None]) -> dict[int, list[ProductCard]]:
    """The product cards of these statuses by status id, in their order: two queries when any of them
    carries products, none otherwise."""
    ids = [s.id for s in statuses if s is not None and s.has_products]
    if not ids:
        return {}
    links = list(
        StatusProduct.objects.filter(status_id__in=ids)
        .order_by("status_id", "position")
        .values_list("status_id", "product_id", "title", "image_path", "image_width", "image_height")
    )
    facts = product_facts([link[1] for link in links])
    out: dict[int, list[ProductCard]] = defaultdict(list)
    for status_id, product_id, title, image_path, width, height in links:
        f = facts.get(product_id)
        out[status_id].append(
            ProductCard(
                id=product_id,
                title=title,
                image_path=image_path,
                image_width=width,
                image_height=height,
                price=f.price if f else None,
                currency=f.currency if f else "CNY",
                shop_id=f.shop_id if f else None,
                shop_name=f.shop_name if f else "",
                available=bool(f and f.listed),
                in_stock=bool(f and f.listed and f.in_stock),
                rating=f.rating if f else None,
                sold_count=f.sold_count if f else 0,
            )
        )
    return out
