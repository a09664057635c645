"""Response shapes of the address, checkout and order endpoints, as agora/orders/api.py and
serializers.py write them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import Field, create_model
from pydantic.json_schema import SkipJsonSchema

from agora.core.schema import IdStr, Money, Out
from agora.shops.schemas import ShopSummaryOut

OrderStatusName = Literal[
    "awaiting_payment",
    "paid",
    "shipped",
    "completed",
    "cancelled",
    "refund_requested",
    "refunded",
    "refund_refused",
]


class AddressSnapshotOut(Out):
    recipient: str
    phone: str
    country: str
    province: str
    city: str
    district: str
    street: str
    postal_code: str


class AddressOut(AddressSnapshotOut):
    id: IdStr
    is_default: bool


class DeletedOut(Out):
    id: IdStr
    deleted: Literal[True]


class OrderLineOut(Out):
    id: IdStr
    variant_id: IdStr | None = Field(description="Null once the variant is deleted")
    product_id: IdStr | None
    title: str
    sku: str
    options: dict[str, str]
    quantity: int = Field(ge=1)
    unit_price: Money
    line_total: Money
    source_status_id: IdStr | None = Field(
        description="The post it was bought from; null when none, or when the reader may not see it"
    )


if TYPE_CHECKING:

    class OrderEventOut(Out):
        """One transition of an order."""

else:
    # Built with create_model: its first key is `from`, a Python keyword (an alias would be dropped
    # from the document, which Ninja writes with field names).
    OrderEventOut = create_model(
        "OrderEventOut",
        __base__=Out,
        __doc__="One transition of an order.",
        **{
            "from": (OrderStatusName | None, Field(description="Null for the order's creation")),
            "to": (OrderStatusName, ...),
            "event": (str, ...),
            "note": (str, ...),
            "actor_id": (IdStr | None, ...),
            "at": (datetime, ...),
        },
    )


class RefundOut(Out):
    reason: str
    amount: Money | None


class OrderOut(Out):
    id: IdStr
    status: OrderStatusName
    shop: ShopSummaryOut
    buyer_id: IdStr
    lines: list[OrderLineOut]
    subtotal: Money
    shipping: Money
    discount: Money
    total: Money
    currency: str
    address: AddressSnapshotOut = Field(description="The address as it was at checkout")
    created_at: datetime
    pay_by: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    carrier: str | None
    tracking_number: str | None
    auto_confirm_at: datetime | None
    completed_at: datetime | None
    refund: RefundOut | None
    history: list[OrderEventOut] | SkipJsonSchema[None] = Field(
        None, description="Every transition, oldest first: only on a single order"
    )


class CheckoutOut(Out):
    orders: list[OrderOut] = Field(description="One order per shop")


class BalanceOut(Out):
    shop_id: IdStr
    currency: str
    available: Money = Field(description="Released to the shop")
    held: Money = Field(description="In escrow until the buyers' orders complete")


class LedgerEntryOut(Out):
    id: IdStr
    movement: IdStr = Field(description="The entries of one movement sum to zero")
    kind: str
    account: Literal["gateway", "escrow", "shop"]
    amount: Money
    currency: str
    order_id: IdStr | None
    created_at: datetime
