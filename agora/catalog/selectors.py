from __future__ import annotations

from django.db.models import Q, QuerySet

from agora.catalog.models import Category, Product, Variant
from agora.media.selectors import media_map
from agora.shops.models import Shop

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


def find_category(raw: object) -> Category | None:
    """A category by id or slug."""
    text = str(raw)
    if text.isdigit():
        return Category.objects.filter(id=int(text)).first()
    return Category.objects.filter(slug=text).first()


def categories(*, top_only: bool = False) -> QuerySet[Category]:
    qs = Category.objects.all()
    return qs.filter(parent__isnull=True) if top_only else qs


def shop_products(shop: Shop) -> QuerySet[Product]:
    """Every product of the shop, delisted ones too, with their variants: for its seller."""
    return Product.objects.filter(shop=shop).prefetch_related("variants").order_by("-id")


def variant_for_sale(variant_id: int) -> Variant | None:
    """A variant with its product and shop (a buy-now preview; checkout checks it is for sale)."""
    return Variant.objects.select_related("product", "product__shop").filter(id=variant_id).first()
