from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status

from agora.api.auth import token
from agora.core.schema import IdStr
from agora.shops.access import access_shop
from agora.shops.actions import do_create_shop, do_update_shop
from agora.shops.selectors import public_shop
from agora.shops.serializers import shop_json

router = Router(tags=["shops"])


class ShopIn(Schema):
    name: str
    description: str = ""
    logo_id: IdStr | None = None
    shipping_fee: str = "0"
    free_shipping_threshold: str | None = None
    return_policy: str = ""


class ShopPatch(Schema):
    name: str | None = None
    description: str | None = None
    logo_id: IdStr | None = None
    shipping_fee: str | None = None
    free_shipping_threshold: str | None = None
    return_policy: str | None = None


@router.post("/v1/shops", auth=token("write:shop"), response={201: dict})
def create_shop(request: HttpRequest, body: ShopIn):
    shop = do_create_shop(request.user, **body.dict())  # type: ignore[arg-type]
    return Status(201, shop_json(shop))


@router.get("/v1/shops/{shop_id}", response=dict)
def get_shop(request: HttpRequest, shop_id: int):
    return shop_json(public_shop(shop_id))


@router.patch("/v1/shops/{shop_id}", auth=token("write:shop"), response=dict)
def update_shop(request: HttpRequest, shop_id: int, body: ShopPatch):
    shop = access_shop(request.user, shop_id)  # type: ignore[arg-type]
    fields = body.dict(exclude_unset=True)
    fields = {k: v for k, v in fields.items() if v is not None or k == "free_shipping_threshold"}
    shop = do_update_shop(request.user, shop, **fields)  # type: ignore[arg-type]
    return shop_json(shop)
