from __future__ import annotations

from collections.abc import Iterable

from agora.media.models import MediaAttachment


def media_map(id_lists: Iterable[Iterable[int]]) -> dict[int, MediaAttachment]:
    """The attachments of several id lists (e.g. each product's images), in one query, by id."""
    ids = {i for ids in id_lists for i in ids}
    return {m.id: m for m in MediaAttachment.objects.filter(id__in=ids)} if ids else {}
