"""Reads of reviews: they are public, like the products they are about."""

from __future__ import annotations

from django.db.models import QuerySet

from agora.catalog.models import Product
from agora.reviews.models import Review


def reviews_of_product(product: Product) -> QuerySet[Review]:
    """The product's reviews, newest first, with their authors and the order lines they review."""
    return Review.objects.filter(product=product).select_related("author", "line").order_by("-id")


def review_for_display(review_id: int) -> Review:
    return Review.objects.select_related("author", "line").get(id=review_id)


def review_photo_ids(product: Product, *, limit: int = 24) -> list[tuple[int, int]]:
    """(review id, media id) of the product's review photos, newest review first, at most `limit`:
    the product page's gallery strip. One query (reviews without photos are left out by it)."""
    found: list[tuple[int, int]] = []
    rows = (
        Review.objects.filter(product=product)
        .exclude(image_ids=[])
        .order_by("-id")
        .values_list("id", "image_ids")[:limit]
    )
    for review_id, image_ids in rows:
        found += [(review_id, i) for i in image_ids if isinstance(i, int)]
    return found[:limit]
