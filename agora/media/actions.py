from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

from agora.accounts.models import User
from agora.core.errors import Invalid, NotFound
from agora.core.images import ImageTooLarge, process_image
from agora.media.models import MediaAttachment


def check_focus(focus: str | None) -> tuple[float, float]:
    if not focus:
        return 0.0, 0.0
    try:
        x, y = (float(part) for part in focus.split(","))
    except ValueError as exc:
        raise Invalid("focus must be two numbers 'x,y' between -1 and 1.", code="invalid_focus") from exc
    if not (-1 <= x <= 1 and -1 <= y <= 1):
        raise Invalid("focus must be two numbers 'x,y' between -1 and 1.", code="invalid_focus")
    return x, y


def read_upload(upload) -> bytes:
    """An uploaded file's bytes, refused by its size before it is read: a form field can carry a file of
    any size (Django spools it to disk), and reading it whole would load it all into memory."""
    limit = settings.AGORA.max_image_bytes
    if upload.size is not None and upload.size > limit:
        raise ImageTooLarge(f"The image is {upload.size // 1024} KiB; the limit is {limit // 1024} KiB.")
    return upload.read(limit + 1)  # one byte over is enough for process_image to refuse it


def do_upload_media(
    owner: User, data: bytes, *, description: str = "", focus: str | None = None
) -> MediaAttachment:
    fx, fy = check_focus(focus)
    if len(description) > 1500:
        raise Invalid("The description is longer than 1,500 characters.", code="description_too_long")
    image = process_image(data)
    media = MediaAttachment(
        owner=owner,
        mime_type=image.mime_type,
        width=image.width,
        height=image.height,
        thumb_width=image.thumb_width,
        thumb_height=image.thumb_height,
        description=description,
        focus_x=fx,
        focus_y=fy,
    )
    media.file.save(image.original.name or "original", image.original, save=False)
    media.thumbnail.save(image.thumbnail.name or "thumb", image.thumbnail, save=False)
    media.save()
    return media


def do_update_media(
    owner: User, media: MediaAttachment, *, description: str | None = None, focus: str | None = None
) -> MediaAttachment:
    fields = []
    if description is not None:
        if len(description) > 1500:
            raise Invalid("The description is longer than 1,500 characters.", code="description_too_long")
        media.description = description
        fields.append("description")
    if focus is not None:
        media.focus_x, media.focus_y = check_focus(focus)
        fields += ["focus_x", "focus_y"]
    if fields:
        media.save(update_fields=fields)
    return media


def claim_media(owner: User, media_ids: Sequence[int], *, limit: int) -> list[MediaAttachment]:
    """Lock and mark the owner's unattached uploads as used, in the order given; call inside a transaction."""
    if len(media_ids) > limit:
        raise Invalid(f"At most {limit} images may be attached.", code="too_many_media")
    if len(set(media_ids)) != len(media_ids):
        raise Invalid("The same image is attached twice.", code="duplicate_media")
    assert transaction.get_connection().in_atomic_block, "claim_media must run inside a transaction"
    rows = {
        m.id: m
        for m in MediaAttachment.objects.select_for_update()
        .filter(id__in=media_ids, owner=owner, attached=False)
        .order_by("id")
    }
    missing = [str(i) for i in media_ids if i not in rows]
    if missing:
        used = MediaAttachment.objects.filter(id__in=[int(i) for i in missing], owner=owner).exists()
        if not used:  # a reference to nothing the caller owns: 404, as for any other unknown id
            raise NotFound(f"Unknown media ids: {', '.join(missing)}.", code="media_not_found")
        raise Invalid(f"Unknown or already used media ids: {', '.join(missing)}.", code="invalid_media")
    MediaAttachment.objects.filter(id__in=media_ids).update(attached=True)
    return [rows[i] for i in media_ids]
