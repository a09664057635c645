from __future__ import annotations

from django.http import HttpResponse
from ninja import Query, Router, Status
from pydantic import BaseModel, ConfigDict, Field

from agora.api.auth import token
from agora.api.contract import returns
from agora.api.request import AuthedRequest, PublicRequest
from agora.catalog.access import access_product
from agora.core.pagination import PageParams, paginate_queryset, set_link_header
from agora.core.schema import IdStr, ListedId, Text, WholeNumber
from agora.media.selectors import media_map
from agora.reviews.actions import do_create_review
from agora.reviews.schemas import ProductReviewsOut, ReviewOut
from agora.reviews.selectors import review_for_display, reviews_of_product
from agora.reviews.serializers import review_json

router = Router(tags=["reviews"])


class ReviewIn(BaseModel):
    model_config = ConfigDict(strict=True)

    line_id: IdStr = Field(description="The order line bought (its order completed)")
    rating: WholeNumber = Field(json_schema_extra={"minimum": 1, "maximum": 5})
    text: Text = Field("", json_schema_extra={"maxLength": 2000})
    media_ids: list[ListedId] = Field(
        default_factory=list, json_schema_extra={"maxItems": 9, "uniqueItems": True}
    )


@router.post("/v1/reviews", auth=token("write:orders"), response=returns({201: ReviewOut}, 404))
def create_review(request: AuthedRequest, body: ReviewIn):
    """404 for a line the caller did not buy; 409 until the order completes, or once reviewed."""
    review = do_create_review(
        request.user,
        body.line_id,
        rating=body.rating,
        text=body.text,
        media_ids=body.media_ids,
    )
    review = review_for_display(review.id)
    return Status(201, review_json(review, media_map([review.image_ids])))


@router.get("/v1/products/{product_id}/reviews", response=returns(ProductReviewsOut))
def product_reviews(
    request: PublicRequest, response: HttpResponse, product_id: int, params: Query[PageParams]
):
    product = access_product(request.user, product_id)
    rows = paginate_queryset(reviews_of_product(product), params)
    set_link_header(request, response, rows, limit=params.capped_limit)
    media = media_map(r.image_ids for r in rows)
    return {
        "product_id": str(product.id),
        "rating": product.rating,
        "rating_count": product.rating_count,
        "reviews": [review_json(r, media) for r in rows],
    }
