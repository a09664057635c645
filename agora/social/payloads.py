"""Request bodies: Mastodon clients send JSON or form data (with `media_ids[]`); accept both."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from pydantic import BaseModel, ValidationError, field_validator

from agora.core.errors import Invalid
from agora.core.payload import as_bool, read_payload
from agora.core.schema import DbId


def request_data(request: HttpRequest) -> dict[str, Any]:
    return read_payload(request)[0]


class StatusIn(BaseModel):
    status: str = ""
    media_ids: list[DbId] = []
    in_reply_to_id: DbId | None = None
    quoted_status_id: DbId | None = None
    visibility: str | None = None
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = None
    # Agora: the products the post carries (at most 9, listed; a shoppable post).
    product_ids: list[DbId] = []

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

    @field_validator("in_reply_to_id", "quoted_status_id", mode="before")
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
