"""Mastodon media uploads: POST /api/v2/media and /api/v1/media (multipart `file`, `description`, `focus`)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from agora.api.auth import token
from agora.core.errors import Invalid
from agora.media.access import access_media
from agora.media.actions import do_update_media, do_upload_media
from agora.media.serializers import media_json
from agora.social.payloads import request_data

router = Router(tags=["media"])


def _upload(request: HttpRequest) -> dict:
    upload = request.FILES.get("file")
    if upload is None:
        raise Invalid("Send the image as the multipart field 'file'.", code="file_required")
    from django.conf import settings

    from agora.core.images import ImageTooLarge

    if upload.size and upload.size > settings.AGORA.max_image_bytes:
        raise ImageTooLarge(
            f"The image is {upload.size // 1024} KiB; the limit is "
            f"{settings.AGORA.max_image_bytes // 1024} KiB."
        )
    media = do_upload_media(
        request.user,  # type: ignore[arg-type]
        upload.read(),
        description=request.POST.get("description", ""),
        focus=request.POST.get("focus") or None,
    )
    return media_json(media)


@router.post("/v2/media", auth=token("write:media"))
def upload_v2(request: HttpRequest) -> dict:
    return _upload(request)


@router.post("/v1/media", auth=token("write:media"))
def upload_v1(request: HttpRequest) -> dict:
    return _upload(request)


@router.get("/v1/media/{int:media_id}", auth=token("write:media"))
def get_media(request: HttpRequest, media_id: int) -> dict:
    return media_json(access_media(request.user, media_id))  # type: ignore[arg-type]


@router.put("/v1/media/{int:media_id}", auth=token("write:media"))
def update_media(request: HttpRequest, media_id: int) -> dict:
    media = access_media(request.user, media_id)  # type: ignore[arg-type]
    data = request_data(request)
    do_update_media(request.user, media, description=data.get("description"), focus=data.get("focus"))  # type: ignore[arg-type]
    return media_json(media)
