from __future__ import annotations

from typing import Any

from agora.media.models import MediaAttachment
from agora.media.serializers import media_json
from agora.reviews.models import Review


def review_json(review: Review, media: dict[int, MediaAttachment]) -> dict[str, Any]:
    return {
        "id": str(review.id),
        "product_id": str(review.product_id),
        "line_id": str(review.line_id),
        "author": {
            "id": str(review.author.id),
            "username": review.author.username,
            "display_name": review.author.display_name,
        },
        "rating": review.rating,
        "text": review.text,
        "options": review.line.options,
        "images": [media_json(media[i]) for i in review.image_ids if i in media],
        "created_at": review.created_at.isoformat(),
    }
