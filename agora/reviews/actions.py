from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction

from agora.accounts.models import User
from agora.catalog.actions import add_rating as add_product_rating
from agora.core.errors import Conflict, Invalid
from agora.media.actions import claim_media
from agora.orders import events
from agora.orders.access import access_order_line
from agora.orders.models import OrderStatus
from agora.reviews.models import Review
from agora.shops.actions import add_rating as add_shop_rating

MAX_IMAGES = 9


def check_review(rating: int, text: str) -> None:
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise Invalid("rating is a whole number from 1 to 5.", code="invalid_rating")
    if len(text) > 2000:
        raise Invalid("The review is longer than 2,000 characters.", code="text_too_long")


def do_create_review(
    author: User, line_id: int, *, rating: int, text: str = "", media_ids: Sequence[int] = ()
) -> Review:
    """One review per order line, by its buyer, once the order has completed."""
    check_review(rating, text)
    line = access_order_line(author, line_id)
    if line.order.status != OrderStatus.COMPLETED:
        raise Conflict("Reviews open once the order is completed.", code="order_not_completed")
    if line.product_id is None:
        raise Conflict("This product no longer exists.", code="product_gone")
    try:
        with transaction.atomic():
            images = claim_media(author, list(media_ids), limit=MAX_IMAGES) if media_ids else []
            review = Review.objects.create(
                line=line,
                product_id=line.product_id,
                shop_id=line.order.shop_id,
                author=author,
                rating=rating,
                text=text.strip(),
                image_ids=[m.id for m in images],
            )
            add_product_rating(line.product_id, rating)
            add_shop_rating(line.order.shop_id, rating)
            events.MARKET_NOTICE.publish(
                events.REVIEW_POSTED, [[line.order.shop.owner_id, author.id, line.order_id, review.id]]
            )
    except IntegrityError as exc:
        raise Conflict("This order line already has a review.", code="already_reviewed") from exc
    return review
