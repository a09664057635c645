"""Response shape of the media endpoints: Mastodon's MediaAttachment as agora/media/serializers.py
writes it (images only)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from agora.core.schema import IdStr, Out


class ImageSizeOut(Out):
    width: int = Field(ge=0)
    height: int = Field(ge=0)
    size: str = Field(pattern=r"^[0-9]+x[0-9]+$")
    aspect: float


class FocusOut(Out):
    x: float
    y: float


class MediaMetaOut(Out):
    original: ImageSizeOut
    small: ImageSizeOut
    focus: FocusOut


class MediaAttachmentOut(Out):
    id: IdStr
    type: Literal["image"]
    url: str
    preview_url: str
    remote_url: str | None
    text_url: str | None = Field(description="Deprecated by Mastodon; always null")
    description: str | None
    blurhash: str | None
    meta: MediaMetaOut
