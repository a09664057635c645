"""Request bodies: Mastodon clients send JSON or form data (with `media_ids[]`); accept both."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agora.core.errors import Invalid
from agora.core.payload import FLAG_SCHEMA, as_bool, read_payload
from agora.core.schema import NOT_SPACE, DbId, ListedId, Text, stripped_length
from agora.social.actions import MAX_POST_PRODUCTS

VISIBILITIES = ["public", "unlisted", "private", "direct"]


def request_data(request: HttpRequest) -> dict[str, Any]:
    return read_payload(request)[0]


def _document_status(schema: dict[str, Any]) -> None:
    # What the checks in agora/social/actions.py accept, for the OpenAPI document (they enforce it).
    props = schema["properties"]
    props["status"]["maxLength"] = settings.AGORA.max_post_chars
    props["media_ids"].update(maxItems=settings.AGORA.max_post_media, uniqueItems=True)
    props["product_ids"].update(maxItems=MAX_POST_PRODUCTS, uniqueItems=True)
    # a review to publish: an id (not "", which reads as none)
    review_id = {"anyOf": [x for x in props["agora_review_id"]["anyOf"] if x.get("type") != "null"]}
    for name in ("in_reply_to_id", "quoted_status_id", "agora_review_id"):
        props[name]["anyOf"] = [*props[name]["anyOf"], {"type": "string", "maxLength": 0}]
    props["visibility"]["anyOf"] = [{"type": "string", "enum": [*VISIBILITIES, ""]}, {"type": "null"}]
    props["spoiler_text"]["maxLength"] = 500
    props["sensitive"] = {**FLAG_SCHEMA, "default": False}
    props["language"]["anyOf"] = [
        {"type": "string", "pattern": stripped_length(0, 10), "description": "ISO 639 code"},
        {"type": "null"},
    ]
    # a post needs text, or at least one image
    schema["anyOf"] = [
        {"required": ["status"], "properties": {"status": {"pattern": NOT_SPACE}}},
        {"required": ["media_ids"], "properties": {"media_ids": {"minItems": 1}}},
        {"required": ["agora_review_id"], "properties": {"agora_review_id": review_id}},
    ]


class StatusIn(BaseModel):
    model_config = ConfigDict(strict=True, json_schema_extra=_document_status)

    status: Text = ""
    media_ids: list[ListedId] = []
    in_reply_to_id: DbId | None = None
    quoted_status_id: DbId | None = None
    visibility: Text | None = None
    spoiler_text: Text = ""
    sensitive: bool = False
    language: Text | None = None
    # Agora: the products the post carries (at most 9, listed; a shoppable post).
    product_ids: list[ListedId] = []
    # Agora: publish the caller's review as this post (晒单): its product, photos, stars and text.
    agora_review_id: DbId | None = None

    @field_validator("product_ids", mode="before")
    @classmethod
    def _one_id(cls, v: Any) -> Any:
        # A form's single `product_ids=1` (without []) is a list of one; "" is none.
        if v in ("", None):
            return []
        return v if isinstance(v, list) else [v]

    @field_validator("sensitive", mode="before")
    @classmethod
    def _sensitive(cls, v: Any) -> bool:
        return as_bool(v)

    @field_validator("in_reply_to_id", "quoted_status_id", "agora_review_id", mode="before")
    @classmethod
    def _empty_id(cls, v: Any) -> Any:
        return None if v in ("", None) else v


def parse(model: type[BaseModel], data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = [
            {"field": ".".join(str(p) for p in e["loc"]) or None, "message": e["msg"], "type": e["type"]}
            for e in exc.errors()
        ]
        raise Invalid("The request is not valid.", code="validation_failed", details=details) from exc


def flag(data: dict[str, Any], key: str) -> bool | None:
    return None if key not in data else as_bool(data[key])


# --- bodies the endpoints read field by field, for the OpenAPI document -----------------------------


def _flags(schema: dict[str, Any]) -> None:
    for name, prop in schema["properties"].items():
        if prop.get("type") == "boolean" or any(p.get("type") == "boolean" for p in prop.get("anyOf", [])):
            schema["properties"][name] = {**FLAG_SCHEMA, "description": prop.get("description", "")}


class FollowIn(BaseModel):
    """POST /accounts/:id/follow."""

    model_config = ConfigDict(json_schema_extra=_flags)

    reblogs: bool | None = Field(None, description="Show their reposts in the home timeline")
    notify: bool | None = Field(None, description="Be notified when they post")


class MuteIn(BaseModel):
    """POST /accounts/:id/mute."""

    model_config = ConfigDict(json_schema_extra=_flags)

    notifications: bool | None = Field(None, description="Mute their notifications too (default yes)")


def _document_reblog(schema: dict[str, Any]) -> None:
    schema["properties"]["visibility"] = {
        "anyOf": [{"type": "string", "enum": [*VISIBILITIES, ""]}, {"type": "null"}]
    }


class ReblogIn(BaseModel):
    """POST /statuses/:id/reblog."""

    model_config = ConfigDict(strict=True, json_schema_extra=_document_reblog)

    visibility: Text | None = None
