"""Request bodies the way Mastodon clients send them: JSON, form-encoded or multipart, on any method."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict

from agora.core.errors import AgoraError, Invalid

# A yes/no field, as Mastodon clients send it: a JSON boolean, 0 or 1, or one of these words (form
# fields are text; an empty one is no). Anything else is refused rather than read as no.
TRUE_WORDS = frozenset({"1", "true", "True", "TRUE", "on", "yes"})
FALSE_WORDS = frozenset({"0", "false", "False", "FALSE", "off", "no", ""})
FLAG_SCHEMA = {
    "anyOf": [
        {"type": "boolean"},
        {"type": "integer", "enum": [0, 1]},
        {"type": "string", "enum": sorted(TRUE_WORDS | FALSE_WORDS)},
    ]
}


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
    fields, files = read_form(request)
    if content_type == "multipart/form-data" and not fields and not files:
        # A multipart body without a single part is no form at all (a JSON {} says "no change").
        raise Invalid("The multipart body holds no fields.", code="invalid_body")
    return fields, files


def read_form(request: HttpRequest) -> tuple[dict[str, Any], MultiValueDict]:
    """A form body's fields (see form_fields) and files."""
    form, files = form_and_files(request)
    return form_fields(form), files


def form_fields(form: QueryDict) -> dict[str, Any]:
    """A form's fields: `name[]` repeated is a list. Any other field given more than once is a list
    too, which a field that takes one value refuses (as_text, as_bool, the body models: 422)
    rather than picking one of the values; fields nobody reads are ignored, as in JSON."""
    fields: dict[str, Any] = {}
    for key, values in form.lists():
        if key.endswith("[]"):
            fields[key[:-2]] = values
        else:
            fields[key] = values[0] if len(values) == 1 else values
    return fields


def form_and_files(request: HttpRequest) -> tuple[QueryDict, MultiValueDict]:
    """A form body's fields and files. A multipart body Django cannot parse (no or a bad boundary)
    is 400 invalid_body: Django raises MultiPartParserError from request.POST, a 500 otherwise."""
    try:
        if request.method == "POST":
            return request.POST, request.FILES
        if request.content_type == "multipart/form-data":
            # Django parses multipart bodies only for POST; PATCH/PUT (update_credentials) by hand.
            return request.parse_file_upload(request.META, request)
    except MultiPartParserError as exc:
        raise AgoraError(f"The multipart body cannot be read: {exc}", code="invalid_body") from exc
    return QueryDict(request.body, encoding=request.encoding), MultiValueDict()


def as_bool(value: Any, field: str = "value") -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value in TRUE_WORDS:
        return True
    if isinstance(value, str) and value in FALSE_WORDS:
        return False
    raise Invalid(f"{field} must be true or false.", code="validation_failed", field=field)


def as_text(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return no_nul(value, field)
    raise Invalid(f"{field} must be a string.", code="validation_failed", field=field)


def no_nul(text: str, field: str) -> str:
    """Text as the database can store it: PostgreSQL refuses NUL, and SQLite, which would store it,
    refuses it here too, so that both profiles answer alike (422)."""
    if "\x00" in text:
        raise Invalid(f"{field} holds a NUL character.", code="invalid_value", field=field)
    return text
