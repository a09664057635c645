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
