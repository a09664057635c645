from __future__ import annotations

from collections.abc import Iterable

from agora.accounts.models import User
from agora.core.errors import NotFound
from agora.media.models import MediaAttachment


def access_media(user: User, media_id: int) -> MediaAttachment:
    """An upload, for its owner only (others see attachments through the object they are on)."""
    media = MediaAttachment.objects.filter(id=media_id, owner=user).first()
    if media is None:
        raise NotFound("Media not found.", code="not_found")
    return media


def media_map(id_lists: Iterable[Iterable[int]]) -> dict[int, MediaAttachment]:
    """The attachments of several id lists (e.g. each product's images), in one query, by id."""
    ids = {i for ids in id_lists for i in ids}
    return {m.id: m for m in MediaAttachment.objects.filter(id__in=ids)} if ids else {}
