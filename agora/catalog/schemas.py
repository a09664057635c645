"""Response shapes of the catalogue endpoints, as agora/catalog/serializers.py and selectors.py
write them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from agora.core.schema import IdStr, Money, Out
from agora.media.schemas import MediaAttachmentOut
from agora.shops.schemas import ShopSummaryOut


class CategoryOut(Out):
    id: IdStr
    slug: str
    name: str
    name_zh: str
    children: list[CategoryOut]


class CategoryRefOut(Out):
    id: IdStr
    slug: str
    name: str


class VariantOut(Out):
    id: IdStr
    sku: str
    options: dict[str, str] = Field(description='What tells it from its siblings: {"size": "L"}')
    price: Money
    currency: str
    stock: int = Field(ge=0)
    available: bool = Field(description="Active and in stock")
    is_active: bool


class ProductOut(Out):
    id: IdStr
    title: str
    description: str
    shop: ShopSummaryOut
    category: CategoryRefOut | None
    images: list[MediaAttachmentOut]
    currency: str
    price: Money | None = Field(description="The lowest price of its variants")
    variants: list[VariantOut]
    listed: bool
    sales_count: int = Field(ge=0)
    rating: float | None
    rating_count: int = Field(ge=0)
    url: str
    created_at: datetime


class DelistedOut(Out):
    id: IdStr
    listed: Literal[False]


CategoryOut.model_rebuild()
