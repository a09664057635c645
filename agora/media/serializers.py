from __future__ import annotations

from typing import Any

from agora.accounts.serializers import absolute
from agora.media.models import MediaAttachment


def media_json(media: MediaAttachment) -> dict[str, Any]:
    return {
        "id": str(media.id),
        "type": "image",
        "url": absolute(media.file.url),
        "preview_url": absolute(media.thumbnail.url),
        "remote_url": None,
        "text_url": None,
        "description": media.description or None,
        "blurhash": None,
        "meta": {
            "original": {
                "width": media.width,
                "height": media.height,
                "size": f"{media.width}x{media.height}",
                "aspect": media.width / max(media.height, 1),
            },
            "small": {
                "width": media.thumb_width,
                "height": media.thumb_height,
                "size": f"{media.thumb_width}x{media.thumb_height}",
                "aspect": media.thumb_width / max(media.thumb_height, 1),
            },
            "focus": {"x": media.focus_x, "y": media.focus_y},
        },
    }
