"""Permission-checked reads of reviews: none. Reviews are public, like the products they are about
(reviews/selectors.py reads them); what a buyer may review is checked by orders' access_order_line,
the line of their own completed order."""

from __future__ import annotations

from agora.core.errors import NotFound
from agora.reviews.models import Review


def access_own_review(author_id: int, review_id: int) -> Review:
    """The caller's own review (to publish it as a post); anyone else's, or none, is 404."""
    review = Review.objects.filter(id=review_id, author_id=author_id).first()
    if review is None:
        raise NotFound("There is no such review of yours.", code="review_not_found")
    return review
