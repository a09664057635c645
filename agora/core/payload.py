"""Request bodies the way Mastodon clients send them: JSON, form-encoded or multipart, on any method."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict

from agora.core.errors import Invalid

TRUE_WORDS = {"1", "true", "on", "yes"}


def read_payload(request: HttpRequest) -> tuple[dict[str, Any], MultiValueDict]:
    """(fields, files). Lists stay lists (`redirect_uris[]=a&redirect_uris[]=b` or a JSON array)."""
    content_type = request.content_type or ""
    if content_type == "application/json":
        if not request.body:
            return {}, MultiValueDict()
        try:
            data = json.loads(request.body)
        except ValueError as exc:
            raise Invalid("The request body is not valid JSON.", code="invalid_json") from exc
        if not isinstance(data, dict):
            raise Invalid("The request body must be a JSON object.", code="invalid_json")
        return data, MultiValueDict()
    form: QueryDict
    files: MultiValueDict
    if request.method == "POST":
        form, files = request.POST, request.FILES
    elif content_type == "multipart/form-data":
        # Django parses multipart bodies only for POST; PATCH/PUT (update_credentials) by hand.
        form, files = request.parse_file_upload(request.META, request)
    else:
        form, files = QueryDict(request.body, encoding=request.encoding), MultiValueDict()
    fields: dict[str, Any] = {}
    for key, values in form.lists():
        if key.endswith("[]"):
            fields[key[:-2]] = values
        else:
            fields[key] = values[-1]
    return fields, files


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in TRUE_WORDS


def as_text(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value)
    raise Invalid(f"{field} must be a string.", code="validation_failed", field=field)
