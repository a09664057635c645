"""Response shapes of the board endpoints, as agora/boards/serializers.py writes them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from agora.core.schema import IdStr, Money, Out


class PinShopOut(Out):
    id: IdStr
    name: str


class PinProductOut(Out):
    """The product a pin saves, at its price now."""

    id: IdStr
    title: str
    price: Money
    currency: str
    shop: PinShopOut
    url: str


class PinAuthorOut(Out):
    id: IdStr
    username: str


class PinStatusOut(Out):
    """The post a pin saves (or whose picture it saves)."""

    id: IdStr
    account: PinAuthorOut
    content: str = Field(description="HTML")
    url: str


class BoardOut(Out):
    id: IdStr
    account_id: IdStr
    name: str
    description: str
    private: bool = Field(description="Seen by its owner only")
    wishlist: bool = Field(description="The owner's Wishlist: private, one per account, never deleted")
    cover: str | None = Field(description="A picture's URL: the chosen cover pin's, else the newest pin's")
    pins_count: int = Field(ge=0)
    followers_count: int = Field(ge=0)
    following: bool | None = Field(description="Whether the caller follows it; null when not asked")
    created_at: datetime
    url: str


class PinOut(Out):
    id: IdStr
    board_id: IdStr
    kind: Literal["product", "status", "media"] = Field(
        description="What the pin saves: a product, a post or one picture of a post"
    )
    note: str
    picture: str | None
    created_at: datetime
    product: PinProductOut | None
    status: PinStatusOut | None
    media_id: IdStr | None = Field(None, description="For a picture pin: the saved picture")
