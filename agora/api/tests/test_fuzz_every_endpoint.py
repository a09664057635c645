"""Every operation in the OpenAPI document, fed bad ids and bad bodies, answers 2xx/4xx in the error
shape: never a 500, never an HTML page (found HTML 404s for refused ids and driver errors for ids
beyond BIGINT and NUL characters before this ran)."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)  # each request in autocommit, as in production

ID_VALUES = ["1", "0", "99999999999999999999999", "-5", "abc", "%00", "x" * 300]
BAD = json.dumps(
    {
        "status": "x" * 100_000,
        "id": "abc",
        "quantity": -1,
        "limit": 10**30,
        "amount": "1e999",
        "variant_id": "x",
        "items": "x",
        "name": ["a"],
        "text": {"a": 1},
        "media_ids": [str(10**30)],
        "in_reply_to_id": str(10**30),
    }
)
NUL = json.dumps(
    {
        key: "a\u0000"
        for key in (
            "status",
            "name",
            "title",
            "description",
            "reason",
            "client_name",
            "username",
            "carrier",
            "tracking_number",
            "text",
            "recipient",
            "phone",
            "city",
            "street",
            "note",
            "display_name",
        )
    }
    | {"redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}
)
BODIES = ["", "{", "[]", BAD, NUL]
SCOPES = "read write follow push read:orders write:orders read:shop write:shop"


def _calls(schema: dict):
    for path, ops in schema["paths"].items():
        for method in ops:
            for value in ID_VALUES:
                url = "/api" + re.sub(r"\{[^}]+\}", value, path)
                if method == "get":
                    yield method, url, {"limit": "abc", "max_id": "zz"} if value == "abc" else {"limit": "-1"}
                else:
                    for body in BODIES:
                        yield method, url, body


def test_every_endpoint_answers_bad_input_in_the_error_shape(make_user, make_token, settings):
    from agora.api.api import api
    from conftest import ApiClient

    settings.AGORA = dataclasses.replace(settings.AGORA, rate_limit_per_token=10**9, rate_limit_per_ip=10**9)
    client = ApiClient(make_token(make_user("fuzzer"), SCOPES), raise_request_exception=False)
    problems = []
    for method, url, payload in _calls(api.get_openapi_schema()):
        if method == "get":
            response = client.get(url, payload)
        else:
            response = getattr(client, method)(url, payload, content_type="application/json")
        if response.status_code >= 500:
            problems.append((method, url[:80], response.status_code))
        elif response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = None
            if not (isinstance(body, dict) and {"error", "code"} <= body.keys()):
                problems.append((method, url[:80], response.status_code, response.content[:80]))
    assert not problems, problems[:20]
