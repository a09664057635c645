"""Response shapes of the review endpoints, as agora/reviews/serializers.py writes them."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from agora.core.schema import IdStr, Out
from agora.media.schemas import MediaAttachmentOut


class ReviewAuthorOut(Out):
    id: IdStr
    username: str
    display_name: str


class ReviewOut(Out):
    id: IdStr
    product_id: IdStr
    line_id: IdStr
    author: ReviewAuthorOut
    rating: int = Field(ge=1, le=5)
    text: str
    options: dict[str, str] = Field(description="The variant bought")
    images: list[MediaAttachmentOut]
    created_at: datetime


class ProductReviewsOut(Out):
    product_id: IdStr
    rating: float | None
    rating_count: int = Field(ge=0)
    reviews: list[ReviewOut]
