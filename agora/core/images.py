"""Image intake: validate by content (not by name), strip EXIF, bound the size, make a thumbnail."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from agora.core.errors import AgoraError, Invalid

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
MAX_PIXELS = 16_777_216  # 4096 x 4096: refuse decompression bombs before decoding
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageTooLarge(AgoraError):
    status = 413
    code = "file_too_large"


@dataclass
class ProcessedImage:
    original: ContentFile
    thumbnail: ContentFile
    mime_type: str
    width: int
    height: int
    thumb_width: int
    thumb_height: int


def _encode(img: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        img.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "WEBP":
        img.save(out, "WEBP", quality=85)
    else:
        img.save(out, fmt)
    return out.getvalue()


def process_image(data: bytes, *, max_side: int = 2048, thumb_side: int = 400) -> ProcessedImage:
    """Re-encode an uploaded image; raise Invalid / ImageTooLarge with a clear message."""
    if len(data) > settings.AGORA.max_image_bytes:
        raise ImageTooLarge(
            f"The image is {len(data) // 1024} KiB; the limit is {settings.AGORA.max_image_bytes // 1024} KiB."
        )
    try:
        probe = Image.open(io.BytesIO(data))
        fmt = probe.format or ""
        probe.verify()
        if fmt not in ALLOWED_FORMATS:
            raise Invalid("Only JPEG, PNG, WebP and GIF images are accepted.", code="unsupported_media_type")
        img: Image.Image = Image.open(io.BytesIO(data))
        if img.width * img.height > MAX_PIXELS:
            raise ImageTooLarge("The image has too many pixels (at most 4096 x 4096).")
        # Animated GIFs keep their first frame only: we store stills.
        img.seek(0)
        img = ImageOps.exif_transpose(img)  # apply the rotation, then the EXIF is not written back
        img.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError) as exc:
        raise Invalid("The file is not a readable image.", code="invalid_image") from exc
    if img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        img = img.convert("RGB")
    if fmt == "GIF":
        img = img.convert("RGBA")
        fmt = "PNG"
    img.thumbnail((max_side, max_side))
    thumb = img.copy()
    thumb.thumbnail((thumb_side, thumb_side))
    ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
    return ProcessedImage(
        original=ContentFile(_encode(img, fmt), name=f"original.{ext}"),
        thumbnail=ContentFile(_encode(thumb, fmt), name=f"thumb.{ext}"),
        mime_type=ALLOWED_FORMATS[fmt],
        width=img.width,
        height=img.height,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
    )
