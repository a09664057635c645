from __future__ import annotations

from ninja import Router, Status
from pydantic import BaseModel, ConfigDict, Field

from agora.api.auth import token
from agora.api.contract import returns
from agora.api.request import AuthedRequest
from agora.cart.access import access_cart_item
from agora.cart.actions import MAX_QUANTITY, do_add_to_cart, do_remove_cart_item, do_update_cart_item
from agora.cart.schemas import CartOut
from agora.cart.selectors import cart_view
from agora.core.schema import IdStr, WholeNumber
from agora.social.access import visible_status_ids

router = Router(tags=["cart"])


class CartItemIn(BaseModel):
    model_config = ConfigDict(strict=True)

    variant_id: IdStr
    quantity: WholeNumber = Field(1, json_schema_extra={"minimum": 1, "maximum": MAX_QUANTITY})
    # The post it is added from; one the buyer may not see (or that does not exist) is ignored.
    source_status_id: IdStr | None = None


class CartItemPatch(BaseModel):
    model_config = ConfigDict(strict=True)

    quantity: WholeNumber = Field(json_schema_extra={"minimum": 1, "maximum": MAX_QUANTITY})


@router.get("/v1/cart", auth=token("read:orders"), response=returns(CartOut))
def get_cart(request: AuthedRequest):
    return cart_view(request.user)


@router.post("/v1/cart/items", auth=token("write:orders"), response=returns({201: CartOut}, 404, 409))
def add_item(request: AuthedRequest, body: CartItemIn):
    """404 for an unknown variant, 409 `unavailable` for one not for sale. A source post the buyer
    may not see (or that does not exist) is ignored."""
    source = body.source_status_id
    if source is not None and source not in visible_status_ids(request.user, [source]):
        source = None
    do_add_to_cart(request.user, body.variant_id, quantity=body.quantity, source_status_id=source)
    return Status(201, cart_view(request.user))


@router.patch("/v1/cart/items/{item_id}", auth=token("write:orders"), response=returns(CartOut))
def update_item(request: AuthedRequest, item_id: int, body: CartItemPatch):
    item = access_cart_item(request.user, item_id)
    do_update_cart_item(request.user, item, quantity=body.quantity)
    return cart_view(request.user)


@router.delete("/v1/cart/items/{item_id}", auth=token("write:orders"), response=returns(CartOut))
def remove_item(request: AuthedRequest, item_id: int):
    item = access_cart_item(request.user, item_id)
    do_remove_cart_item(request.user, item)
    return cart_view(request.user)
