from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status

from agora.api.auth import token
from agora.cart.access import access_cart_item
from agora.cart.actions import do_add_to_cart, do_remove_cart_item, do_update_cart_item
from agora.cart.selectors import cart_view
from agora.core.schema import IdStr
from agora.social.access import visible_status_ids

router = Router(tags=["cart"])


class CartItemIn(Schema):
    variant_id: IdStr
    quantity: int = 1
    # The post it is added from; one the buyer may not see (or that does not exist) is ignored.
    source_status_id: IdStr | None = None


class CartItemPatch(Schema):
    quantity: int


@router.get("/v1/cart", auth=token("read:orders"), response=dict)
def get_cart(request: HttpRequest):
    return cart_view(request.user)  # type: ignore[arg-type]


@router.post("/v1/cart/items", auth=token("write:orders"), response={201: dict})
def add_item(request: HttpRequest, body: CartItemIn):
    source = body.source_status_id
    if source is not None and source not in visible_status_ids(request.user, [source]):
        source = None
    do_add_to_cart(request.user, body.variant_id, quantity=body.quantity, source_status_id=source)  # type: ignore[arg-type]
    return Status(201, cart_view(request.user))  # type: ignore[arg-type]


@router.patch("/v1/cart/items/{item_id}", auth=token("write:orders"), response=dict)
def update_item(request: HttpRequest, item_id: int, body: CartItemPatch):
    item = access_cart_item(request.user, item_id)  # type: ignore[arg-type]
    do_update_cart_item(request.user, item, quantity=body.quantity)  # type: ignore[arg-type]
    return cart_view(request.user)  # type: ignore[arg-type]


@router.delete("/v1/cart/items/{item_id}", auth=token("write:orders"), response=dict)
def remove_item(request: HttpRequest, item_id: int):
    item = access_cart_item(request.user, item_id)  # type: ignore[arg-type]
    do_remove_cart_item(request.user, item)  # type: ignore[arg-type]
    return cart_view(request.user)  # type: ignore[arg-type]
