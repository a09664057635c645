from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from agora.catalog.models import Category, Product
from agora.media.models import MediaAttachment

SORTS = {
    "new": "-id",
    "price_asc": "min_price",
    "price_desc": "-min_price",
    "sales": "-sales_count",
    "rating": "-rating_total",
}


def listed_products(*, shop_id: int | None = None, category: Category | None = None, q: str = "") -> QuerySet:
    qs = Product.objects.filter(is_listed=True).select_related("shop", "shop__owner", "category")
    if shop_id is not None:
        qs = qs.filter(shop_id=shop_id)
    if category is not None:
        qs = qs.filter(Q(category=category) | Q(category__parent=category))
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return qs.prefetch_related("variants")


def media_map(id_lists: Iterable[Iterable[int]]) -> dict[int, MediaAttachment]:
    ids = {i for ids in id_lists for i in ids}
    return {m.id: m for m in MediaAttachment.objects.filter(id__in=ids)} if ids else {}


def with_covers(products: list[Product]) -> list[Product]:
    """The products, each with `cover`: its first image (or None), for product grids."""
    media = media_map(p.image_ids for p in products)
    for p in products:
        p.cover = media.get(p.image_ids[0]) if p.image_ids else None  # type: ignore[attr-defined]
    return products


def category_tree() -> list[dict]:
    nodes = list(Category.objects.all())
    children: dict[int | None, list[Category]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def build(node: Category) -> dict:
        return {
            "id": str(node.id),
            "slug": node.slug,
            "name": node.name,
            "name_zh": node.name_zh,
            "children": [build(c) for c in children.get(node.id, [])],
        }

    return [build(n) for n in children.get(None, [])]
