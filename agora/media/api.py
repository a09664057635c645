"""Mastodon media uploads: POST /api/v2/media and /api/v1/media (multipart `file`, `description`, `focus`)."""

from __future__ import annotations

from ninja import Router
from pydantic import BaseModel, Field

from agora.api.auth import token
from agora.api.contract import body_schema, returns
from agora.api.request import AuthedRequest
from agora.core.errors import Invalid
from agora.core.payload import as_text, read_form
from agora.media.access import access_media
from agora.media.actions import do_update_media, do_upload_media
from agora.media.schemas import MediaAttachmentOut
from agora.media.serializers import media_json
from agora.social.payloads import request_data

router = Router(tags=["media"])

IMAGE_TYPES = "image/jpeg, image/png, image/webp, image/gif"
# One focus coordinate, -1 to 1, as float() reads it: 1, 0.5, -.25, 1.0 ...
_COORD = r"[+-]?(?:0*1(?:\.0*)?|0+(?:\.[0-9]*)?|0*\.[0-9]+)"
FOCUS_PATTERN = f"^(?:{_COORD},{_COORD})?$"


class MediaIn(BaseModel):
    file: bytes = Field(description="The image: JPEG, PNG, WebP or GIF, at most AGORA_MAX_IMAGE_BYTES")
    description: str = Field("", max_length=1500, description="Alt text")
    focus: str = Field("", json_schema_extra={"pattern": FOCUS_PATTERN}, description="'x,y', each -1 to 1")


class MediaPatch(BaseModel):
    description: str | None = Field(None, max_length=1500)
    focus: str | None = Field(None, json_schema_extra={"pattern": FOCUS_PATTERN})


UPLOAD_BODY = body_schema(MediaIn, form=False, multipart=True, files={"file": IMAGE_TYPES})
UPLOAD_BODY["requestBody"]["content"].pop("application/json")  # a file needs multipart


def _upload(request: AuthedRequest) -> dict:
    fields, files = read_form(request)  # multipart only: a JSON body has no file
    if len(files.getlist("file")) > 1:
        raise Invalid("Send one image per upload.", code="validation_failed", field="file")
    upload = files.get("file")
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
        request.user,
        upload.read(),
        description=as_text(fields.get("description"), "description") or "",
        focus=as_text(fields.get("focus"), "focus") or None,
    )
    return media_json(media)


@router.post(
    "/v2/media",
    auth=token("write:media"),
    response=returns(MediaAttachmentOut, 413),
    openapi_extra=UPLOAD_BODY,
)
def upload_v2(request: AuthedRequest) -> dict:
    return _upload(request)


@router.post(
    "/v1/media",
    auth=token("write:media"),
    response=returns(MediaAttachmentOut, 413),
    openapi_extra=UPLOAD_BODY,
)
def upload_v1(request: AuthedRequest) -> dict:
    return _upload(request)


@router.get("/v1/media/{int:media_id}", auth=token("write:media"), response=returns(MediaAttachmentOut))
def get_media(request: AuthedRequest, media_id: int) -> dict:
    return media_json(access_media(request.user, media_id))


@router.put(
    "/v1/media/{int:media_id}",
    auth=token("write:media"),
    response=returns(MediaAttachmentOut),
    openapi_extra=body_schema(MediaPatch, multipart=True, required=False),
)
def update_media(request: AuthedRequest, media_id: int) -> dict:
    media = access_media(request.user, media_id)
    data = request_data(request)
    do_update_media(
        request.user,
        media,
        description=as_text(data.get("description"), "description"),
        focus=as_text(data.get("focus"), "focus"),
    )
    return media_json(media)
