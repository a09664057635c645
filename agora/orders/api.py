from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Status
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel, ConfigDict, Field

from agora.api import fastpath
from agora.api.auth import token
from agora.api.contract import returns
from agora.api.request import AuthedRequest, DeferredRequest
from agora.core.errors import Invalid, NotFound
from agora.core.money import MONEY_PATTERN, money_str
from agora.core.pagination import PageParams, paginate_queryset, set_link_header
from agora.core.schema import IdStr, Text, WholeNumber, stripped_length
from agora.orders import actions
from agora.orders.access import access_address, access_order
from agora.orders.actions import LIMITS, REQUIRED, do_create_address, do_delete_address, do_update_address
from agora.orders.checkout import Wanted
from agora.orders.models import ADDRESS_FIELDS, Address, OrderStatus
from agora.orders.placing import MAX_LINES
from agora.orders.schemas import (
    AddressOut,
    BalanceOut,
    CheckoutOut,
    DeletedOut,
    LedgerEntryOut,
    OrderOut,
)
from agora.orders.selectors import addresses_of, orders_of_buyer, orders_of_shop
from agora.orders.serializers import order_json
from agora.orders.sweep import maybe_sweep
from agora.payments.selectors import ledger_of_shop, shop_balances
from agora.payments.serializers import ledger_entry_json
from agora.shops.access import access_shop
from agora.social.access import visible_status_ids

router = Router(tags=["orders"])


# --- addresses ------------------------------------------------------------------------------------
def _document_address(schema: dict[str, Any]) -> None:
    # What check_address (agora/orders/addresses.py) accepts, for the document; it enforces it.
    new = "required" in schema
    for name in ADDRESS_FIELDS:
        text = {
            "type": "string",
            "pattern": stripped_length(1 if name in REQUIRED else 0, LIMITS.get(name, 60)),
        }
        schema["properties"][name] = text if new else {"anyOf": [text, {"type": "null"}]}


class AddressIn(BaseModel):
    model_config = ConfigDict(strict=True, json_schema_extra=_document_address)

    recipient: Text
    phone: Text
    country: Text = "CN"
    province: Text = ""
    city: Text
    district: Text = ""
    street: Text
    postal_code: Text = ""
    is_default: bool = False


class AddressPatch(BaseModel):
    model_config = ConfigDict(strict=True, json_schema_extra=_document_address)

    recipient: Text | None = None
    phone: Text | None = None
    country: Text | None = None
    province: Text | None = None
    city: Text | None = None
    district: Text | None = None
    street: Text | None = None
    postal_code: Text | None = None
    is_default: bool | None = None


def address_json(a: Address) -> dict:
    return {"id": str(a.id), **a.snapshot(), "is_default": a.is_default}


@router.get("/v1/addresses", auth=token("read:orders"), response=returns(list[AddressOut]))
def list_addresses(request: AuthedRequest):
    return [address_json(a) for a in addresses_of(request.user.pk)]


@router.post("/v1/addresses", auth=token("write:orders"), response=returns({201: AddressOut}))
def create_address(request: AuthedRequest, body: AddressIn):
    return Status(201, address_json(do_create_address(request.user, **body.model_dump())))


@router.patch("/v1/addresses/{address_id}", auth=token("write:orders"), response=returns(AddressOut))
def update_address(request: AuthedRequest, address_id: int, body: AddressPatch):
    address = access_address(request.user, address_id)
    return address_json(do_update_address(request.user, address, **body.model_dump(exclude_unset=True)))


@router.delete("/v1/addresses/{address_id}", auth=token("write:orders"), response=returns(DeletedOut))
def delete_address(request: AuthedRequest, address_id: int):
    address = access_address(request.user, address_id)
    do_delete_address(request.user, address)
    return {"id": str(address_id), "deleted": True}


# --- checkout -------------------------------------------------------------------------------------
# Plain pydantic models, not ninja.Schema: a Schema validates through a wrapper that reads its
# input as if it were a model instance, 17 us a checkout against 3.
class ItemIn(BaseModel):
    model_config = ConfigDict(strict=True)

    variant_id: IdStr
    quantity: WholeNumber = Field(1, ge=1, le=999)
    # The post it is bought from; one the buyer may not see (or that does not exist) is ignored.
    source_status_id: IdStr | None = None


def _document_checkout(schema: dict[str, Any]) -> None:
    # Either items, or "from_cart": true (agora/orders/checkout.py), for the document.
    items = next(s for s in schema["properties"]["items"]["anyOf"] if s.get("type") == "array")
    items.update(maxItems=MAX_LINES)
    schema["anyOf"] = [
        {
            "required": ["items"],
            "properties": {"items": {"type": "array", "minItems": 1}, "from_cart": {"const": False}},
        },
        {
            "required": ["from_cart"],
            "properties": {
                "from_cart": {"const": True},
                "items": {"anyOf": [{"type": "null"}, {"maxItems": 0}]},
            },
        },
    ]


class CheckoutIn(BaseModel):
    model_config = ConfigDict(strict=True, json_schema_extra=_document_checkout)

    address_id: IdStr
    items: list[ItemIn] | None = None
    from_cart: bool = False


@router.post(
    "/v1/checkout",
    auth=fastpath.deferred_token("write:orders"),
    response=returns({201: CheckoutOut}, 404, 409),
)
def checkout(request: DeferredRequest, body: CheckoutIn) -> HttpResponse:
    # A token this process has found before is checked in the checkout's first read (ADR 0004).
    if bool(body.items) == bool(body.from_cart):
        raise Invalid('Send either items or "from_cart": true.', code="invalid_checkout")
    maybe_sweep()
    items = [Wanted(i.variant_id, i.quantity, i.source_status_id) for i in body.items or []]
    if any(w.source_status_id is not None for w in items):
        seen = visible_status_ids(fastpath.confirmed_user(request), [w.source_status_id for w in items])
        items = [
            replace(w, source_status_id=w.source_status_id if w.source_status_id in seen else None)
            for w in items
        ]
    placed = fastpath.checkout(
        request,
        address_id=body.address_id,
        items=items,
        from_cart=body.from_cart,
        idempotency_key=request.META.get("HTTP_IDEMPOTENCY_KEY"),
    )
    # A flash sale's hot path: the body rendered as Ninja's JSON renderer would, returned as it is
    # (from a dict, Ninja would first validate and copy it against `response=`, which stays for the
    # OpenAPI document).
    body_json = json.dumps(
        {"orders": [order_json(p.order, lines=p.lines) for p in placed]}, cls=NinjaJSONEncoder
    )
    return HttpResponse(body_json, status=201, content_type="application/json; charset=utf-8")


# --- orders ---------------------------------------------------------------------------------------
class OrderQuery(PageParams):
    status: OrderStatus | None = None


def _order_page(request: AuthedRequest, response: HttpResponse, qs, params: OrderQuery) -> list[dict]:
    maybe_sweep()
    if params.status:
        qs = qs.filter(status=params.status)
    rows = paginate_queryset(qs.select_related("shop", "shop__owner").prefetch_related("lines"), params)
    set_link_header(request, response, rows, limit=params.capped_limit)
    return _sources_seen(request, [order_json(o) for o in rows])


def _detail(request: AuthedRequest, order_id: int) -> dict:
    # access_order already joins the shop and its owner, all order_json needs besides lines and events
    order = access_order(request.user, order_id)
    return _sources_seen(request, [order_json(order, events=list(order.events.all()))])[0]


def _sources_seen(request: AuthedRequest, orders: list[dict]) -> list[dict]:
    """A line's source post as the reader may see it: the buyer saw it when buying; the seller (or
    staff) gets null for a post hidden from them, so an order never tells them a private post exists."""
    me = str(request.user.pk)
    lines = [ln for o in orders if o["buyer_id"] != me for ln in o["lines"] if ln["source_status_id"]]
    if lines:
        seen = visible_status_ids(request.user, [int(ln["source_status_id"]) for ln in lines])
        for ln in lines:
            if int(ln["source_status_id"]) not in seen:
                ln["source_status_id"] = None
    return orders


@router.get("/v1/orders", auth=token("read:orders"), response=returns(list[OrderOut]))
def list_orders(request: AuthedRequest, response: HttpResponse, params: Query[OrderQuery]):
    return _order_page(request, response, orders_of_buyer(request.user.pk), params)


@router.get("/v1/orders/{order_id}", auth=token("read:orders"), response=returns(OrderOut))
def get_order(request: AuthedRequest, order_id: int):
    return _detail(request, order_id)


@router.post("/v1/orders/{order_id}/cancel", auth=token("write:orders"), response=returns(OrderOut))
def cancel_order(request: AuthedRequest, order_id: int):
    """409 illegal_transition when the order's status does not allow it."""
    actions.do_cancel_order(request.user, order_id)
    return _detail(request, order_id)


@router.post("/v1/orders/{order_id}/confirm_receipt", auth=token("write:orders"), response=returns(OrderOut))
def confirm_receipt(request: AuthedRequest, order_id: int):
    """409 illegal_transition when the order's status does not allow it."""
    actions.do_confirm_receipt(request.user, order_id)
    return _detail(request, order_id)


class RefundIn(BaseModel):
    model_config = ConfigDict(strict=True)

    reason: Text = Field(json_schema_extra={"pattern": stripped_length(1, 1000)})
    amount: Text | None = Field(
        None,
        json_schema_extra={
            "anyOf": [
                # an amount above zero (a digit other than 0)
                {"type": "string", "allOf": [{"pattern": MONEY_PATTERN}, {"pattern": "[1-9]"}]},
                {"type": "string", "maxLength": 0},
                {"type": "null"},
            ]
        },
        description="Part of the total; empty or null for all of it (422 if more than the total)",
    )


@router.post("/v1/orders/{order_id}/refund", auth=token("write:orders"), response=returns(OrderOut))
def request_refund(request: AuthedRequest, order_id: int, body: RefundIn):
    """409 illegal_transition when the order's status does not allow a refund."""
    actions.do_request_refund(request.user, order_id, reason=body.reason, amount=body.amount)
    return _detail(request, order_id)


# --- seller ---------------------------------------------------------------------------------------
class ShipIn(BaseModel):
    model_config = ConfigDict(strict=True)

    carrier: Text = Field(json_schema_extra={"pattern": stripped_length(1, 60)})
    tracking_number: Text = Field(json_schema_extra={"pattern": stripped_length(1, 60)})


class RefuseIn(BaseModel):
    model_config = ConfigDict(strict=True)

    note: Text = Field("", description="Its first 1,000 characters are kept")


@router.get("/v1/shops/{shop_id}/orders", auth=token("read:shop"), response=returns(list[OrderOut]))
def shop_orders(request: AuthedRequest, response: HttpResponse, shop_id: int, params: Query[OrderQuery]):
    shop = access_shop(request.user, shop_id)
    return _order_page(request, response, orders_of_shop(shop), params)


@router.get("/v1/shops/{shop_id}/orders/{order_id}", auth=token("read:shop"), response=returns(OrderOut))
def shop_order(request: AuthedRequest, shop_id: int, order_id: int):
    """The seller's view of one order (a seller's app holds read:shop, not the buyer's read:orders)."""
    shop = access_shop(request.user, shop_id)
    data = _detail(request, order_id)
    if data["shop"]["id"] != str(shop.id):
        raise NotFound("No such order.")
    return data


@router.post("/v1/orders/{order_id}/ship", auth=token("write:shop"), response=returns(OrderOut))
def ship_order(request: AuthedRequest, order_id: int, body: ShipIn):
    """409 illegal_transition unless the order is paid."""
    actions.do_ship_order(
        request.user,
        order_id,
        carrier=body.carrier,
        tracking_number=body.tracking_number,
    )
    return _detail(request, order_id)


@router.post("/v1/orders/{order_id}/refund/approve", auth=token("write:shop"), response=returns(OrderOut))
def approve_refund(request: AuthedRequest, order_id: int):
    """409 illegal_transition unless a refund was requested."""
    actions.do_approve_refund(request.user, order_id)
    return _detail(request, order_id)


@router.post("/v1/orders/{order_id}/refund/refuse", auth=token("write:shop"), response=returns(OrderOut))
def refuse_refund(request: AuthedRequest, order_id: int, body: RefuseIn):
    """409 illegal_transition unless a refund was requested."""
    actions.do_refuse_refund(request.user, order_id, note=body.note)
    return _detail(request, order_id)


@router.get("/v1/shops/{shop_id}/balance", auth=token("read:shop"), response=returns(BalanceOut))
def shop_balance(request: AuthedRequest, shop_id: int):
    shop = access_shop(request.user, shop_id)
    b = shop_balances(shop)
    return {
        "shop_id": str(shop.id),
        "currency": shop.currency,
        # money_str: "66.00", as every amount (SQLite's SUM dropped the places: "66")
        "available": money_str(b["available"]),
        "held": money_str(b["held"]),
    }


@router.get("/v1/shops/{shop_id}/ledger", auth=token("read:shop"), response=returns(list[LedgerEntryOut]))
def shop_ledger(request: AuthedRequest, response: HttpResponse, shop_id: int, params: Query[PageParams]):
    shop = access_shop(request.user, shop_id)
    rows = paginate_queryset(ledger_of_shop(shop), params)
    set_link_header(request, response, rows, limit=params.capped_limit)
    return [ledger_entry_json(e) for e in rows]
