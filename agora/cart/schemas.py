"""Response shape of the cart endpoints, as agora/cart/selectors.py's cart_view writes it."""

from __future__ import annotations

from pydantic import Field

from agora.core.schema import IdStr, Money, Out
from agora.shops.schemas import ShopSummaryOut


class CartItemOut(Out):
    id: IdStr
    variant_id: IdStr
    product_id: IdStr
    title: str
    sku: str
    options: dict[str, str]
    quantity: int = Field(ge=1)
    unit_price: Money = Field(description="The price now")
    price_seen: Money = Field(description="The price when the item was added")
    price_changed: bool
    line_total: Money
    available: bool = Field(description="Listed, active and with enough stock for the quantity")
    stock: int = Field(ge=0)
    image_id: IdStr | None
    source_status_id: IdStr | None = Field(description="The post it was added from, or null")


class CartShopOut(Out):
    shop: ShopSummaryOut
    items: list[CartItemOut]
    subtotal: Money = Field(description="Of the available items")
    shipping: Money
    total: Money


class CartOut(Out):
    shops: list[CartShopOut]
    total: Money
    currency: str
    count: int = Field(ge=0, description="Items in the cart")
