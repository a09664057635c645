"""Request bodies: Mastodon clients send JSON or form data (with `media_ids[]`); accept both."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from pydantic import BaseModel, ValidationError, field_validator

from agora.core.errors import Invalid
from agora.core.schema import DbId


def request_data(request: HttpRequest) -> dict[str, Any]:
    ctype = request.content_type or ""
    if ctype.startswith("application/json"):
        if not request.body:
            return {}
        try:
            data = json.loads(request.body)
        except ValueError as exc:
            raise Invalid("The body is not valid JSON.", code="invalid_json") from exc
        if not isinstance(data, dict):
            raise Invalid("The body must be a JSON object.", code="invalid_json")
        return data
    source = request.POST if request.method == "POST" else _parse_form(request)
    out: dict[str, Any] = {}
    for key in source:
        values = source.getlist(key)
        if key.endswith("[]"):
            out[key[:-2]] = values
        else:
            out[key] = values[-1]
    return out


def _parse_form(request: HttpRequest):
    from django.http import QueryDict

    return QueryDict(request.body, encoding=request.encoding or "utf-8")


def _boolish(v: Any) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in {"1", "true", "on", "yes"}
    return bool(v)


class StatusIn(BaseModel):
    status: str = ""
    media_ids: list[DbId] = []
    in_reply_to_id: DbId | None = None
    quoted_status_id: DbId | None = None
    visibility: str | None = None
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = None

    @field_validator("sensitive", mode="before")
    @classmethod
    def _sensitive(cls, v: Any) -> bool:
        return _boolish(v)

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
    return None if key not in data else _boolish(data[key])
