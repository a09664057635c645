"""Reads of uploads that check who asks."""

from __future__ import annotations

from agora.accounts.models import User
from agora.core.errors import NotFound
from agora.media.models import MediaAttachment


def access_media(user: User, media_id: int) -> MediaAttachment:
    """An upload, for its owner only (others see attachments through the object they are on)."""
    media = MediaAttachment.objects.filter(id=media_id, owner=user).first()
    if media is None:
        raise NotFound("Media not found.", code="not_found")
    return media
