from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from agora.api.auth import token
from agora.catalog.access import access_product
from agora.core.pagination import PageParams, paginate_queryset, set_link_header
from agora.core.schema import IdStr
from agora.media.selectors import media_map
from agora.reviews.actions import do_create_review
from agora.reviews.selectors import review_for_display, reviews_of_product
from agora.reviews.serializers import review_json

router = Router(tags=["reviews"])


class ReviewIn(Schema):
    line_id: IdStr
    rating: int
    text: str = ""
    media_ids: list[IdStr] = Field(default_factory=list)


@router.post("/v1/reviews", auth=token("write:orders"), response={201: dict})
def create_review(request: HttpRequest, body: ReviewIn):
    review = do_create_review(
        request.user,  # type: ignore[arg-type]
        body.line_id,
        rating=body.rating,
        text=body.text,
        media_ids=body.media_ids,
    )
    review = review_for_display(review.id)
    return Status(201, review_json(review, media_map([review.image_ids])))


@router.get("/v1/products/{product_id}/reviews", response=dict)
def product_reviews(request: HttpRequest, response: HttpResponse, product_id: int, params: Query[PageParams]):
    product = access_product(request.user, product_id)  # type: ignore[arg-type]
    rows = paginate_queryset(reviews_of_product(product), params)
    set_link_header(request, response, rows, limit=params.capped_limit)
    media = media_map(r.image_ids for r in rows)
    return {
        "product_id": str(product.id),
        "rating": product.rating,
        "rating_count": product.rating_count,
        "reviews": [review_json(r, media) for r in rows],
    }
