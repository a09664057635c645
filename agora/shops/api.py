from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from pydantic import BaseModel, ConfigDict, Field

from agora.api.auth import token
from agora.api.contract import returns
from agora.api.request import AuthedRequest
from agora.core.money import MONEY_PATTERN
from agora.core.schema import IdStr, Text, stripped_length
from agora.shops.access import access_shop
from agora.shops.actions import do_create_shop, do_update_shop
from agora.shops.schemas import ShopOut
from agora.shops.selectors import public_shop
from agora.shops.serializers import shop_json

router = Router(tags=["shops"])


def _document_shop(schema: dict[str, Any]) -> None:
    # What check_shop_fields (agora/shops/actions.py) accepts, for the document; it enforces it.
    props = schema["properties"]
    name = {"type": "string", "pattern": stripped_length(1, 60)}
    money = {"type": "string", "pattern": MONEY_PATTERN}
    optional_money = {"anyOf": [money, {"type": "string", "maxLength": 0}, {"type": "null"}]}
    if "required" in schema:  # a new shop
        props["name"] = {**name, "description": "1 to 60 characters"}
        props["shipping_fee"] = {**money, "default": "0"}
        props["description"] = {"type": "string", "maxLength": 2000, "default": ""}
        props["return_policy"] = {"type": "string", "maxLength": 4000, "default": ""}
    else:  # a change: null leaves a field as it is
        props["name"] = {"anyOf": [name, {"type": "null"}]}
        props["shipping_fee"] = {"anyOf": [money, {"type": "null"}]}
        props["description"] = {"anyOf": [{"type": "string", "maxLength": 2000}, {"type": "null"}]}
        props["return_policy"] = {"anyOf": [{"type": "string", "maxLength": 4000}, {"type": "null"}]}
    props["free_shipping_threshold"] = {
        **optional_money,
        "description": "Orders of at least this much ship free; empty or null for never",
    }


class ShopIn(BaseModel):
    model_config = ConfigDict(strict=True, json_schema_extra=_document_shop)

    name: Text
    description: Text = ""
    logo_id: IdStr | None = Field(None, description="An uploaded image (POST /api/v2/media)")
    shipping_fee: Text = "0"
    free_shipping_threshold: Text | None = None
    return_policy: Text = ""


class ShopPatch(BaseModel):
    model_config = ConfigDict(strict=True, json_schema_extra=_document_shop)

    name: Text | None = None
    description: Text | None = None
    logo_id: IdStr | None = None
    shipping_fee: Text | None = None
    free_shipping_threshold: Text | None = None
    return_policy: Text | None = None


@router.post("/v1/shops", auth=token("write:shop"), response=returns({201: ShopOut}, 409))
def create_shop(request: AuthedRequest, body: ShopIn):
    """One shop per account: 409 shop_exists for a second."""
    shop = do_create_shop(request.user, **body.model_dump())
    return Status(201, shop_json(shop))


@router.get("/v1/shops/{shop_id}", response=returns(ShopOut))
def get_shop(request: HttpRequest, shop_id: int):
    return shop_json(public_shop(shop_id))


@router.patch("/v1/shops/{shop_id}", auth=token("write:shop"), response=returns(ShopOut))
def update_shop(request: AuthedRequest, shop_id: int, body: ShopPatch):
    shop = access_shop(request.user, shop_id)
    fields = body.model_dump(exclude_unset=True)
    fields = {k: v for k, v in fields.items() if v is not None or k == "free_shipping_threshold"}
    shop = do_update_shop(request.user, shop, **fields)
    return shop_json(shop)
