from __future__ import annotations

import json
from dataclasses import replace

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel, Field

from agora.api import fastpath
from agora.api.auth import token
from agora.core.errors import Invalid, NotFound
from agora.core.pagination import PageParams, paginate_queryset, set_link_header
from agora.core.schema import IdStr
from agora.orders import actions
from agora.orders.access import access_address, access_order
from agora.orders.actions import do_create_address, do_delete_address, do_update_address
from agora.orders.checkout import Wanted
from agora.orders.models import Address, OrderStatus
from agora.orders.selectors import addresses_of, orders_of_buyer, orders_of_shop
from agora.orders.serializers import order_json
from agora.orders.sweep import maybe_sweep
from agora.payments.selectors import ledger_of_shop, shop_balances
from agora.payments.serializers import ledger_entry_json
from agora.shops.access import access_shop
from agora.social.access import visible_status_ids

router = Router(tags=["orders"])


# --- addresses ------------------------------------------------------------------------------------
class AddressIn(Schema):
    recipient: str
    phone: str
    country: str = "CN"
    province: str = ""
    city: str
    district: str = ""
    street: str
    postal_code: str = ""
    is_default: bool = False


class AddressPatch(Schema):
    recipient: str | None = None
    phone: str | None = None
    country: str | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    street: str | None = None
    postal_code: str | None = None
    is_default: bool | None = None


def address_json(a: Address) -> dict:
    return {"id": str(a.id), **a.snapshot(), "is_default": a.is_default}


@router.get("/v1/addresses", auth=token("read:orders"), response=list[dict])
def list_addresses(request: HttpRequest):
    return [address_json(a) for a in addresses_of(request.user.pk)]


@router.post("/v1/addresses", auth=token("write:orders"), response={201: dict})
def create_address(request: HttpRequest, body: AddressIn):
    return Status(201, address_json(do_create_address(request.user, **body.dict())))  # type: ignore[arg-type]


@router.patch("/v1/addresses/{address_id}", auth=token("write:orders"), response=dict)
def update_address(request: HttpRequest, address_id: int, body: AddressPatch):
    address = access_address(request.user, address_id)  # type: ignore[arg-type]
    return address_json(do_update_address(request.user, address, **body.dict(exclude_unset=True)))  # type: ignore[arg-type]


@router.delete("/v1/addresses/{address_id}", auth=token("write:orders"), response=dict)
def delete_address(request: HttpRequest, address_id: int):
    address = access_address(request.user, address_id)  # type: ignore[arg-type]
    do_delete_address(request.user, address)  # type: ignore[arg-type]
    return {"id": str(address_id), "deleted": True}


# --- checkout -------------------------------------------------------------------------------------
# Plain pydantic models, not ninja.Schema: a Schema validates through a wrapper that reads its
# input as if it were a model instance, 17 us a checkout against 3.
class ItemIn(BaseModel):
    variant_id: IdStr
    quantity: int = Field(1, ge=1, le=999)
    # The post it is bought from; one the buyer may not see (or that does not exist) is ignored.
    source_status_id: IdStr | None = None


class CheckoutIn(BaseModel):
    address_id: IdStr
    items: list[ItemIn] | None = None
    from_cart: bool = False


@router.post("/v1/checkout", auth=fastpath.deferred_token("write:orders"), response={201: dict, 200: dict})
def checkout(request: HttpRequest, body: CheckoutIn) -> HttpResponse:
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


def _order_page(request: HttpRequest, response: HttpResponse, qs, params: OrderQuery) -> list[dict]:
    maybe_sweep()
    if params.status:
        qs = qs.filter(status=params.status)
    rows = paginate_queryset(qs.select_related("shop", "shop__owner").prefetch_related("lines"), params)
    set_link_header(request, response, rows, limit=params.capped_limit)
    return _sources_seen(request, [order_json(o) for o in rows])


def _detail(request: HttpRequest, order_id: int) -> dict:
    # access_order already joins the shop and its owner, all order_json needs besides lines and events
    order = access_order(request.user, order_id)  # type: ignore[arg-type]
    return _sources_seen(request, [order_json(order, events=list(order.events.all()))])[0]


def _sources_seen(request: HttpRequest, orders: list[dict]) -> list[dict]:
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


@router.get("/v1/orders", auth=token("read:orders"), response=list[dict])
def list_orders(request: HttpRequest, response: HttpResponse, params: Query[OrderQuery]):
    return _order_page(request, response, orders_of_buyer(request.user.pk), params)


@router.get("/v1/orders/{order_id}", auth=token("read:orders"), response=dict)
def get_order(request: HttpRequest, order_id: int):
    return _detail(request, order_id)


@router.post("/v1/orders/{order_id}/cancel", auth=token("write:orders"), response=dict)
def cancel_order(request: HttpRequest, order_id: int):
    actions.do_cancel_order(request.user, order_id)  # type: ignore[arg-type]
    return _detail(request, order_id)


@router.post("/v1/orders/{order_id}/confirm_receipt", auth=token("write:orders"), response=dict)
def confirm_receipt(request: HttpRequest, order_id: int):
    actions.do_confirm_receipt(request.user, order_id)  # type: ignore[arg-type]
    return _detail(request, order_id)


class RefundIn(Schema):
    reason: str
    amount: str | None = None


@router.post("/v1/orders/{order_id}/refund", auth=token("write:orders"), response=dict)
def request_refund(request: HttpRequest, order_id: int, body: RefundIn):
    actions.do_request_refund(request.user, order_id, reason=body.reason, amount=body.amount)  # type: ignore[arg-type]
    return _detail(request, order_id)


# --- seller ---------------------------------------------------------------------------------------
class ShipIn(Schema):
    carrier: str
    tracking_number: str


class RefuseIn(Schema):
    note: str = ""


@router.get("/v1/shops/{shop_id}/orders", auth=token("read:shop"), response=list[dict])
def shop_orders(request: HttpRequest, response: HttpResponse, shop_id: int, params: Query[OrderQuery]):
    shop = access_shop(request.user, shop_id)  # type: ignore[arg-type]
    return _order_page(request, response, orders_of_shop(shop), params)


@router.get("/v1/shops/{shop_id}/orders/{order_id}", auth=token("read:shop"), response=dict)
def shop_order(request: HttpRequest, shop_id: int, order_id: int):
    """The seller's view of one order (a seller's app holds read:shop, not the buyer's read:orders)."""
    shop = access_shop(request.user, shop_id)  # type: ignore[arg-type]
    data = _detail(request, order_id)
    if data["shop"]["id"] != str(shop.id):
        raise NotFound("No such order.")
    return data


@router.post("/v1/orders/{order_id}/ship", auth=token("write:shop"), response=dict)
def ship_order(request: HttpRequest, order_id: int, body: ShipIn):
    actions.do_ship_order(
        request.user,  # type: ignore[arg-type]
        order_id,
        carrier=body.carrier,
        tracking_number=body.tracking_number,
    )
    return _detail(request, order_id)


@router.post("/v1/orders/{order_id}/refund/approve", auth=token("write:shop"), response=dict)
def approve_refund(request: HttpRequest, order_id: int):
    actions.do_approve_refund(request.user, order_id)  # type: ignore[arg-type]
    return _detail(request, order_id)


@router.post("/v1/orders/{order_id}/refund/refuse", auth=token("write:shop"), response=dict)
def refuse_refund(request: HttpRequest, order_id: int, body: RefuseIn):
    actions.do_refuse_refund(request.user, order_id, note=body.note)  # type: ignore[arg-type]
    return _detail(request, order_id)


@router.get("/v1/shops/{shop_id}/balance", auth=token("read:shop"), response=dict)
def shop_balance(request: HttpRequest, shop_id: int):
    shop = access_shop(request.user, shop_id)  # type: ignore[arg-type]
    b = shop_balances(shop)
    return {
        "shop_id": str(shop.id),
        "currency": shop.currency,
        "available": str(b["available"]),
        "held": str(b["held"]),
    }


@router.get("/v1/shops/{shop_id}/ledger", auth=token("read:shop"), response=list[dict])
def shop_ledger(request: HttpRequest, response: HttpResponse, shop_id: int, params: Query[PageParams]):
    shop = access_shop(request.user, shop_id)  # type: ignore[arg-type]
    rows = paginate_queryset(ledger_of_shop(shop), params)
    set_link_header(request, response, rows, limit=params.capped_limit)
    return [ledger_entry_json(e) for e in rows]
