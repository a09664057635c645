"""Response shapes of the shop endpoints, as agora/shops/serializers.py writes them."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from agora.accounts.schemas import AccountOut
from agora.core.schema import IdStr, Money, Out
from agora.media.schemas import MediaAttachmentOut


class ShopSummaryOut(Out):
    """A shop as a product, cart or order names it."""

    id: IdStr
    name: str
    logo: MediaAttachmentOut | None
    rating: float | None = Field(description="Average review rating, 1 to 5; null before any review")
    rating_count: int = Field(ge=0)
    followers_count: int = Field(ge=0, description="Followers of the owner's account")
    url: str


class ShopOut(ShopSummaryOut):
    description: str
    owner: AccountOut
    currency: str
    shipping_fee: Money
    free_shipping_threshold: Money | None
    return_policy: str
    created_at: datetime
