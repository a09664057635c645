"""The API's typed contract: what each operation answers, with which status, in which shape.

Every operation declares its success schema and the errors its own code raises:

    @router.get("/v1/statuses/{int:status_id}", auth=token(...), response=returns(StatusOut, 404))
    @router.post("/v1/addresses", auth=token(...), response=returns({201: AddressOut}))

and `seal(api)` adds, once for all, the errors an operation answers because of what it is rather
than what it does (see `shared_statuses`): 401/403 from its token check, 422 for input that fails
validation or that the database refuses, 429 from the rate limiter, 404 for a path the router
refuses, 409 for a POST whose Idempotency-Key is still being processed, 400 for a body that is
not JSON. Each error is the one shape of agora/core/errors.py (`ErrorOut`).

The schemas are the document's and the tests' (agora/api/tests/test_schemathesis.py holds the
server to them); at run time an operation renders what its endpoint returns as it is, without
validating and copying it through pydantic again: the serializers build Mastodon's JSON as plain
dicts, and a timeline page re-validated would cost more than the rest of the request.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import NinjaAPI, Schema
from ninja.operation import Operation
from ninja.responses import Status
from pydantic import BaseModel

from agora.api.auth import TokenAuth
from agora.core import idempotency
from agora.core.schema import NO_NUL, ErrorOut


def returns(success: Any, *errors: int) -> dict[int, Any]:
    """An operation's `response=`: its success schema (200, or a {status: schema} map), and the error
    statuses its own code raises (404 for a record the caller may not see, 409 for a state that does
    not allow the change, 413 for an oversized upload ...), each in the error shape."""
    out: dict[int, Any] = dict(success) if isinstance(success, dict) else {200: success}
    for status in errors:
        out[status] = ErrorOut
    return out


def shared_statuses(operation: Operation) -> set[int]:
    """The error statuses an operation answers whatever its own code does."""
    statuses = {422, 429}  # bad input (Ninja's validation, DataErrorMiddleware); RateLimitMiddleware
    if any(isinstance(a, TokenAuth) for a in operation.auth_callbacks):
        statuses |= {401, 403}  # no, bad or expired token; a missing scope; an app-only token
    if operation.signature.path_params_names:
        statuses.add(404)  # an id the router refuses (/statuses/abc) or no such record
    if idempotency.METHODS.intersection(operation.methods):
        statuses.add(409)  # Idempotency-Key: the first request with this key is still running
    if any(m.__ninja_param_source__ == "body" for m in operation.models) or "requestBody" in (
        operation.openapi_extra or {}
    ):
        statuses.add(400)  # a body that cannot be parsed (not JSON; a multipart body without boundary)
    return statuses


def _response_model(schema: Any) -> type[Schema]:
    # As ninja.operation.Operation._create_response_model: the document reads the `response` field.
    return type("NinjaResponseSchema", (Schema,), {"__annotations__": {"response": schema}})


class RenderedOperation(Operation):
    """An operation whose result is rendered as it is: the declared schemas are for the document.

    Ninja's own `_result_to_response` validates a returned value against the declared schema and
    renders the copy pydantic dumps; this one picks the status the same way (a `Status`, else the
    operation's one success status) and renders the value itself."""

    success_status = 200

    def _result_to_response(
        self, request: HttpRequest, result: Any, temporal_response: Any
    ) -> HttpResponseBase:
        if isinstance(result, HttpResponseBase):
            return result
        if isinstance(result, Status):
            status, result = result.status_code, result.value
        else:
            status = self.success_status
        temporal_response.status_code = status
        return self.api.create_response(request, result, temporal_response=temporal_response)


def operations(api: NinjaAPI) -> list[Operation]:
    return [
        operation
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    ]


def seal(api: NinjaAPI) -> None:
    """Add each operation's shared error statuses to its declared responses, and render results
    without re-validation. Run once, after every router is added."""
    error = _response_model(ErrorOut)
    for operation in operations(api):
        if type(operation) is not Operation:  # an async or streaming operation: not used here
            raise TypeError(f"{operation.path}: only plain synchronous operations are sealed")
        successes = [s for s in operation.response_models if isinstance(s, int) and 200 <= s < 300]
        for status in sorted(shared_statuses(operation)):
            operation.response_models.setdefault(status, error)
        operation.__class__ = RenderedOperation
        cast(RenderedOperation, operation).success_status = successes[0] if len(successes) == 1 else 200


def body_schema(
    model: type[BaseModel],
    *,
    form: bool = True,
    multipart: bool = False,
    required: bool = True,
    files: dict[str, str] | None = None,
) -> dict[str, Any]:
    """`openapi_extra` documenting the body of an endpoint that reads it itself
    (agora.core.payload.read_payload: JSON, or form fields as Mastodon clients send them, where a
    list is sent as `name[]` repeated). `files`: multipart file fields and their content types;
    only multipart carries them."""
    schema = model.model_json_schema(mode="validation")
    schema.pop("title", None)
    files = files or {}
    fields = {k: v for k, v in schema.get("properties", {}).items() if k not in files}
    plain = {**schema, "properties": fields}
    if "required" in schema:
        plain["required"] = [k for k in schema["required"] if k not in files]
    content: dict[str, Any] = {"application/json": {"schema": plain}}
    if form or multipart:
        form_schema = _as_form(schema)
        if form:
            content["application/x-www-form-urlencoded"] = {"schema": _as_form(plain)}
        if multipart:  # a multipart body without a part is refused (agora.core.payload)
            content["multipart/form-data"] = {"schema": {**form_schema, "minProperties": 1}}
            if files:
                content["multipart/form-data"]["encoding"] = {k: {"contentType": v} for k, v in files.items()}
    return {"requestBody": {"content": content, "required": required}}


def _as_form(schema: dict[str, Any]) -> dict[str, Any]:
    """A body schema as form fields: a list is `name[]`, repeated; no field is null (a form has
    no null: leave the field out)."""

    def name(key: str) -> str:
        prop = _not_null(schema.get("properties", {}).get(key, {}))
        return f"{key}[]" if prop.get("type") == "array" else key

    out = dict(schema)
    out["properties"] = {name(k): _not_null(v) for k, v in schema.get("properties", {}).items()}
    if "required" in schema:
        out["required"] = [name(k) for k in schema["required"]]
    if "anyOf" in schema:
        out["anyOf"] = [
            {
                **branch,
                "properties": {name(k): v for k, v in branch.get("properties", {}).items()},
                "required": [name(k) for k in branch.get("required", [])],
            }
            for branch in schema["anyOf"]
        ]
    return out


def _not_null(prop: dict[str, Any]) -> dict[str, Any]:
    branches = [b for b in prop.get("anyOf", []) if b.get("type") != "null"]
    if not branches or len(branches) == len(prop.get("anyOf", [])):
        return prop
    out = {k: v for k, v in prop.items() if k not in ("anyOf", "default")}
    return {**branches[0], **out} if len(branches) == 1 else {**out, "anyOf": branches}


def _refuse_nul(schema: Any, components: dict[str, Any], seen: set[str]) -> None:
    """Give every free-text string of a request schema the NO_NUL pattern (the API refuses NUL in
    text, agora/core/dataerrors.py); strings with a pattern, an enum or binary content already
    exclude it."""
    if isinstance(schema, list):
        for item in schema:
            _refuse_nul(item, components, seen)
        return
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[1]
        if name not in seen:
            seen.add(name)
            _refuse_nul(components.get(name), components, seen)
    if schema.get("type") == "string" and not (
        {"pattern", "enum", "const"} & schema.keys() or schema.get("format") == "binary"
    ):
        schema["pattern"] = NO_NUL
    for key in ("properties", "patternProperties", "$defs"):
        for sub in (schema.get(key) or {}).values():
            _refuse_nul(sub, components, seen)
    for key in ("items", "additionalProperties", "not"):
        _refuse_nul(schema.get(key), components, seen)
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        _refuse_nul(schema.get(key), components, seen)


def document_requests(api: NinjaAPI) -> None:
    """Post-process the OpenAPI document: request strings refuse NUL (see _refuse_nul)."""
    original = api.get_openapi_schema

    def get_openapi_schema(*args: Any, **kwargs: Any) -> Any:
        schema = original(*args, **kwargs)
        components = schema.get("components", {}).get("schemas", {})
        seen: set[str] = set()
        for methods in schema.get("paths", {}).values():
            for op in methods.values():
                if not isinstance(op, dict):
                    continue
                for parameter in op.get("parameters", []):
                    _refuse_nul(parameter.get("schema"), components, seen)
                for media in op.get("requestBody", {}).get("content", {}).values():
                    _refuse_nul(media.get("schema"), components, seen)
        return schema

    api.get_openapi_schema = get_openapi_schema  # type: ignore[method-assign]
