"""Small helpers for driving OAuth flows through the Django test client."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client

FORM = "application/x-www-form-urlencoded"
REDIRECT = "https://client.example/callback"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def register_app(
    client: Client, *, scopes: str = "read write follow", redirect_uris: str = REDIRECT, name: str = "Tusky"
) -> dict:
    response = client.post(
        "/api/v1/apps",
        {
            "client_name": name,
            "redirect_uris": redirect_uris,
            "scopes": scopes,
            "website": "https://tusky.example",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def form_post(client: Client, path: str, data: dict, **extra):
    return client.post(path, urlencode(data), content_type=FORM, **extra)


def authorize(
    client: Client,
    app: dict,
    *,
    scope: str = "read",
    challenge: str | None = None,
    redirect_uri: str = REDIRECT,
    allow: bool = True,
):
    """GET the consent page then POST the user's answer; returns (GET response, POST response)."""
    params = {
        "response_type": "code",
        "client_id": app["client_id"],
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": "s123",
    }
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    page = client.get("/oauth/authorize?" + urlencode(params))
    answer = dict(params)
    if allow:
        answer["allow"] = "true"
    return page, form_post(client, "/oauth/authorize", answer)


def code_from(response) -> str:
    assert response.status_code == 302, response.content
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["state"] == ["s123"]
    return query["code"][0]


def exchange(
    client: Client, app: dict, code: str, *, verifier: str | None = None, redirect_uri: str = REDIRECT
):
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
    }
    if verifier:
        data["code_verifier"] = verifier
    return form_post(client, "/oauth/token", data)


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
