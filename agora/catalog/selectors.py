from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from agora.catalog.models import Category, Product, Variant
from agora.media.models import MediaAttachment
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


# --- what the square reads of products (social's product cards) -----------------------------------


@dataclass(frozen=True)
class ProductFacts:
    """A product's live facts as a post's card shows them: whatever the post was written with, these
    are read now (price, stock, rating, sales, whether it is still listed, the shop's name)."""

    id: int
    shop_id: int
    shop_name: str
    price: Decimal
    currency: str
    listed: bool
    in_stock: bool
    rating: float | None
    sold_count: int


def product_facts(product_ids: list[int]) -> dict[int, ProductFacts]:
    """The live facts of these products (delisted ones too, marked), in one query whatever their count;
    ids of products that no longer exist are absent."""
    if not product_ids:
        return {}
    in_stock = Exists(Variant.objects.filter(product_id=OuterRef("pk"), is_active=True, stock__gt=0))
    rows = (
        Product.objects.filter(id__in=set(product_ids))
        .annotate(in_stock=in_stock)
        .values_list(
            "id",
            "shop_id",
            "shop__name",
            "min_price",
            "currency",
            "is_listed",
            "in_stock",
            "rating_count",
            "rating_total",
            "sales_count",
        )
    )
    return {
        pid: ProductFacts(
            pid,
            shop_id,
            shop_name,
            price,
            currency,
            listed,
            bool(stocked),
            round(total / count, 2) if count else None,
            sold,
        )
        for pid, shop_id, shop_name, price, currency, listed, stocked, count, total, sold in rows
    }


@dataclass(frozen=True)
class ProductSnapshot:
    """What a post keeps of a product when it is attached: its title and picture then."""

    id: int
    listed: bool
    title: str
    image: MediaAttachment | None


def product_snapshots(product_ids: list[int]) -> dict[int, ProductSnapshot]:
    """Title, first picture and listing of these products (two queries); unknown ids are absent."""
    if not product_ids:
        return {}
    products = list(
        Product.objects.filter(id__in=set(product_ids)).only("id", "title", "image_ids", "is_listed")
    )
    media = media_map(p.image_ids[:1] for p in products)
    return {
        p.id: ProductSnapshot(p.id, p.is_listed, p.title, media.get(p.image_ids[0]) if p.image_ids else None)
        for p in products
    }
