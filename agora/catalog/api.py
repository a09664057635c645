from __future__ import annotations

from typing import Any, Literal

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from pydantic import BaseModel, ConfigDict, Field

from agora.api.auth import token
from agora.api.contract import returns
from agora.api.request import AuthedRequest, PublicRequest
from agora.catalog.access import access_product
from agora.catalog.actions import (
    MAX_IMAGES,
    MAX_STOCK,
    MAX_VARIANTS,
    do_create_product,
    do_delist_product,
    do_update_product,
)
from agora.catalog.models import Category
from agora.catalog.schemas import CategoryOut, DelistedOut, ProductOut
from agora.catalog.selectors import SORTS, category_tree, find_category, listed_products
from agora.catalog.serializers import product_json
from agora.core.errors import Invalid
from agora.core.money import MONEY_PATTERN
from agora.core.pagination import PageParams, paginate_queryset, set_link_header
from agora.core.schema import NO_NUL, DbId, IdStr, ListedId, Text, WholeNumber, stripped_length
from agora.media.selectors import media_map
from agora.shops.access import access_shop

router = Router(tags=["catalog"])


def _document_variant(schema: dict[str, Any], *, new_only: bool) -> None:
    # What check_variant (agora/catalog/actions.py) accepts, for the document; it enforces it.
    props = schema["properties"]
    props["sku"] = {"type": "string", "pattern": stripped_length(1, 64)}
    props["options"] = {
        "anyOf": [
            {
                "type": "object",
                "maxProperties": 10,
                "propertyNames": {"minLength": 1, "maxLength": 30, "pattern": NO_NUL},
                "additionalProperties": {"type": "string", "maxLength": 60, "pattern": NO_NUL},
            },
            {"type": "null"},
        ],
        "description": 'What tells the variant from its siblings: {"size": "L"}',
    }
    props["price"] = {"type": "string", "pattern": MONEY_PATTERN}
    props["stock"] = {**props["stock"], "type": "integer", "minimum": 0, "maximum": MAX_STOCK}
    props["stock"].pop("anyOf", None)
    props["stock_delta"]["anyOf"] = [
        {"type": "integer", "minimum": -MAX_STOCK, "maximum": MAX_STOCK},
        {"type": "null"},
    ]
    no_delta = {"not": {"required": ["stock_delta"], "properties": {"stock_delta": {"type": "integer"}}}}
    new = {"required": ["sku", "price"], **no_delta}
    if new_only:
        schema.update(new)
    else:  # an existing variant by id, or a new one
        schema["anyOf"] = [
            {
                "required": ["id"],
                "properties": {"id": {"not": {"type": "null"}}},
                "not": {
                    "required": ["stock", "stock_delta"],
                    "properties": {"stock_delta": {"type": "integer"}},
                },
            },
            {"properties": {"id": {"type": "null"}}, **new},
            {"not": {"required": ["id"]}, **new},
        ]


class VariantIn(BaseModel):
    """A new variant (POST /shops/:id/products)."""

    model_config = ConfigDict(strict=True, json_schema_extra=lambda s: _document_variant(s, new_only=True))

    id: IdStr | None = Field(None, description="Ignored for a new product")
    sku: Text | None = None
    options: dict[Text, Text] | None = None
    price: Text | None = None
    stock: WholeNumber | None = Field(None, description="Set the stock to this count (overwrites it).")
    stock_delta: WholeNumber | None = Field(None, description="Not for a new product's variants")
    is_active: bool | None = None


class VariantPatch(VariantIn):
    """A variant in PATCH /products/:id: an existing one by `id` (its fields to change), or a new one."""

    model_config = ConfigDict(strict=True, json_schema_extra=lambda s: _document_variant(s, new_only=False))

    stock_delta: WholeNumber | None = Field(
        None,
        description="Change an existing variant's stock by this many units, atomically "
        "(409 stock_conflict if it would fall below 0). Instead of stock, not with it.",
    )


def category_names() -> list[str]:
    """How a request may name one of the site's categories: its slug or its id (find_category). The
    document lists them, as read when it is generated; another name is 422 invalid_category."""
    try:
        rows = list(Category.objects.values_list("slug", "id"))
    except DatabaseError:  # no tables yet (the document served before `migrate`)
        return []
    return sorted({slug for slug, _id in rows} | {str(pk) for _slug, pk in rows})


def _category(nullable: bool) -> dict[str, Any]:
    names = {"type": "string", "enum": ["", *category_names()]}
    return {"anyOf": [names, {"type": "null"}]} if nullable else names


def _document_product(schema: dict[str, Any]) -> None:
    props = schema["properties"]
    props["category"] = {**_category(nullable=True), "description": props["category"].get("description", "")}
    props["title"]["anyOf" if "anyOf" in props["title"] else "pattern"] = (
        [{"type": "string", "pattern": stripped_length(1, 120)}, {"type": "null"}]
        if "anyOf" in props["title"]
        else stripped_length(1, 120)
    )
    media = props["media_ids"]
    for target in media.get("anyOf", [media]):
        if target.get("type") == "array":
            target.update(maxItems=MAX_IMAGES, uniqueItems=True)
    variants = props["variants"]
    for target in variants.get("anyOf", [variants]):
        if target.get("type") == "array" and "required" in schema:  # a new product
            target.update(minItems=1, maxItems=MAX_VARIANTS)


class ProductIn(BaseModel):
    model_config = ConfigDict(strict=True, json_schema_extra=_document_product)

    title: Text
    description: Text = Field("", json_schema_extra={"maxLength": 10_000})
    category: Text | None = Field(None, description="A category's slug or id")
    media_ids: list[ListedId] = Field(default_factory=list)
    variants: list[VariantIn]


class ProductPatch(BaseModel):
    model_config = ConfigDict(strict=True, json_schema_extra=_document_product)

    title: Text | None = Field(None, description="A title can be changed, not removed: null is ignored")
    description: Text | None = Field(None, json_schema_extra={"maxLength": 10_000})
    category: Text | None = Field(None, description="A category's slug or id; null or empty for none")
    media_ids: list[ListedId] | None = None
    variants: list[VariantPatch] | None = None
    listed: bool | None = None


class ProductQuery(PageParams):
    model_config = ConfigDict(
        json_schema_extra=lambda s: s["properties"].update(
            category={**_category(nullable=False), "description": "A category's slug or id"}
        )
    )

    shop_id: DbId | None = None
    category: Text | None = Field(None, description="A category's slug or id")
    q: Text = ""
    sort: Literal["new", "price_asc", "price_desc", "sales", "rating"] = "new"
    offset: int = Field(0, ge=0, le=10_000, description="For sorts other than 'new'")


def _variant_dicts(variants: list[VariantIn] | list[VariantPatch]) -> list[dict[str, Any]]:
    return [v.model_dump(exclude_unset=True) for v in variants]


def _one(product) -> dict:
    return product_json(product, media_map([product.image_ids]))


@router.get("/v1/categories", response=returns(list[CategoryOut]))
def categories(request: HttpRequest):
    return category_tree()


@router.post(
    "/v1/shops/{shop_id}/products", auth=token("write:shop"), response=returns({201: ProductOut}, 409)
)
def create_product(request: AuthedRequest, shop_id: int, body: ProductIn):
    """409 duplicate_sku when two variants share a sku; 404 for an unknown image."""
    shop = access_shop(request.user, shop_id)
    product = do_create_product(
        request.user,
        shop,
        title=body.title,
        description=body.description,
        category=body.category,
        media_ids=body.media_ids,
        variants=_variant_dicts(body.variants),
    )
    return Status(201, _one(access_product(request.user, product.id)))


@router.get("/v1/products", response=returns(list[ProductOut]))
def list_products(request: HttpRequest, response: HttpResponse, params: Query[ProductQuery]):
    category = None
    if params.category:
        category = find_category(params.category)
        if category is None:
            raise Invalid("Unknown category.", code="invalid_category")
    qs = listed_products(shop_id=params.shop_id, category=category, q=params.q.strip())
    if params.sort == "new":
        rows = paginate_queryset(qs, params)
        set_link_header(request, response, rows, limit=params.capped_limit)
    else:
        limit = params.capped_limit
        rows = list(qs.order_by(SORTS[params.sort], "-id")[params.offset : params.offset + limit])
        if len(rows) == limit:
            base = request.build_absolute_uri(request.path)
            query = request.GET.copy()
            query["offset"] = str(params.offset + limit)
            response["Link"] = f'<{base}?{query.urlencode()}>; rel="next"'
    media = media_map(p.image_ids for p in rows)
    return [product_json(p, media) for p in rows]


@router.get("/v1/products/{product_id}", response=returns(ProductOut))
def get_product(request: PublicRequest, product_id: int):
    return _one(access_product(request.user, product_id))


@router.patch("/v1/products/{product_id}", auth=token("write:shop"), response=returns(ProductOut, 409))
def update_product(request: AuthedRequest, product_id: int, body: ProductPatch):
    """409 stock_conflict when a stock_delta would take a count below 0 (nothing is saved), 409
    duplicate_sku when two variants would share a sku."""
    product = access_product(request.user, product_id, manage=True)
    fields = body.model_dump(exclude_unset=True, include={"title", "description", "category"})
    if fields.get("title", "") is None:  # a title can be changed, not removed
        del fields["title"]
    do_update_product(
        request.user,
        product,
        media_ids=body.media_ids,
        variants=_variant_dicts(body.variants) if body.variants is not None else None,
        is_listed=body.listed,
        idempotency_key=request.META.get("HTTP_IDEMPOTENCY_KEY"),
        **fields,
    )
    return _one(access_product(request.user, product_id))


@router.delete("/v1/products/{product_id}", auth=token("write:shop"), response=returns(DelistedOut))
def delist_product(request: AuthedRequest, product_id: int):
    product = access_product(request.user, product_id, manage=True)
    do_delist_product(request.user, product)
    return {"id": str(product.id), "listed": False}
