from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from agora.api.auth import token
from agora.catalog.access import access_product
from agora.catalog.actions import do_create_product, do_delist_product, do_update_product
from agora.catalog.selectors import SORTS, category_tree, find_category, listed_products
from agora.catalog.serializers import product_json
from agora.core.errors import Invalid
from agora.core.pagination import PageParams, paginate_queryset, set_link_header
from agora.core.schema import IdStr
from agora.media.selectors import media_map
from agora.shops.access import access_shop

router = Router(tags=["catalog"])


class VariantIn(Schema):
    id: IdStr | None = None
    sku: str | None = None
    options: dict[str, str] | None = None
    price: str | None = None
    stock: int | None = Field(None, description="Set the stock to this count (overwrites it).")
    stock_delta: int | None = Field(
        None,
        description="Change an existing variant's stock by this many units, atomically "
        "(409 stock_conflict if it would fall below 0). Instead of stock, not with it.",
    )
    is_active: bool | None = None


class ProductIn(Schema):
    title: str
    description: str = ""
    category: str | None = None
    media_ids: list[IdStr] = Field(default_factory=list)
    variants: list[VariantIn]


class ProductPatch(Schema):
    title: str | None = None
    description: str | None = None
    category: str | None = None
    media_ids: list[IdStr] | None = None
    variants: list[VariantIn] | None = None
    listed: bool | None = None


class ProductQuery(PageParams):
    shop_id: int | None = None
    category: str | None = None
    q: str = ""
    sort: Literal["new", "price_asc", "price_desc", "sales", "rating"] = "new"
    offset: int = Field(0, ge=0, le=10_000, description="For sorts other than 'new'")


def _variant_dicts(variants: list[VariantIn]) -> list[dict[str, Any]]:
    return [v.dict(exclude_unset=True) for v in variants]


def _one(product) -> dict:
    return product_json(product, media_map([product.image_ids]))


@router.get("/v1/categories", response=list[dict])
def categories(request: HttpRequest):
    return category_tree()


@router.post("/v1/shops/{shop_id}/products", auth=token("write:shop"), response={201: dict})
def create_product(request: HttpRequest, shop_id: int, body: ProductIn):
    shop = access_shop(request.user, shop_id)  # type: ignore[arg-type]
    product = do_create_product(
        request.user,  # type: ignore[arg-type]
        shop,
        title=body.title,
        description=body.description,
        category=body.category,
        media_ids=body.media_ids,
        variants=_variant_dicts(body.variants),
    )
    return Status(201, _one(access_product(request.user, product.id)))  # type: ignore[arg-type]


@router.get("/v1/products", response=list[dict])
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


@router.get("/v1/products/{product_id}", response=dict)
def get_product(request: HttpRequest, product_id: int):
    return _one(access_product(request.user, product_id))  # type: ignore[arg-type]


@router.patch("/v1/products/{product_id}", auth=token("write:shop"), response=dict)
def update_product(request: HttpRequest, product_id: int, body: ProductPatch):
    product = access_product(request.user, product_id, manage=True)  # type: ignore[arg-type]
    fields = body.dict(exclude_unset=True, include={"title", "description", "category"})
    if fields.get("title", "") is None:  # a title can be changed, not removed
        del fields["title"]
    do_update_product(
        request.user,  # type: ignore[arg-type]
        product,
        media_ids=body.media_ids,
        variants=_variant_dicts(body.variants) if body.variants is not None else None,
        is_listed=body.listed,
        idempotency_key=request.META.get("HTTP_IDEMPOTENCY_KEY"),
        **fields,
    )
    return _one(access_product(request.user, product_id))  # type: ignore[arg-type]


@router.delete("/v1/products/{product_id}", auth=token("write:shop"), response=dict)
def delist_product(request: HttpRequest, product_id: int):
    product = access_product(request.user, product_id, manage=True)  # type: ignore[arg-type]
    do_delist_product(request.user, product)  # type: ignore[arg-type]
    return {"id": str(product.id), "listed": False}
