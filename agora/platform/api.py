"""Mastodon's app endpoints: register a client (anonymously, as Mastodon does) and check an app token."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from pydantic import BaseModel, ConfigDict, Field

from agora.api.auth import token
from agora.api.contract import body_schema, returns
from agora.api.request import AppRequest, AuthedRequest
from agora.core.payload import as_text, read_payload
from agora.core.schema import SPACE, WEBSITE_PATTERN, EmptyOut, stripped_length
from agora.platform.actions import do_register_app, do_resend_confirmation
from agora.platform.oauth import OOB_REDIRECT_URI
from agora.platform.schemas import ApplicationOut, CredentialApplicationOut
from agora.platform.scopes import all_scopes
from agora.platform.serializers import app_json

router = Router(tags=["apps"])

# A redirect URI the app may register: the out-of-band URN, or an http(s) URL with a host and no
# fragment, each at most 2,000 characters. (Native apps' own schemes, myapp://callback, are accepted too; javascript:, data:,
# file: and the like are not.) Several are separated by whitespace: str.split()'s, hence SPACE.
_WS = f"[{SPACE}]"
_URI = f"(?:urn:ietf:wg:oauth:2\\.0:oob|[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(?:[/?][^{SPACE}#\x00]*)?)"
_URIS = f"^{_WS}*{_URI}(?:{_WS}+{_URI})*{_WS}*$"
_SCOPE = "(?:" + "|".join(s for s in sorted(all_scopes(), key=len, reverse=True)) + ")"
_SCOPES = f"^{_WS}*(?:{_SCOPE}(?:{_WS}+{_SCOPE})*)?{_WS}*$"


def _document_app(schema: dict) -> None:
    props = schema["properties"]
    props["redirect_uris"] = {
        "anyOf": [
            {"type": "string", "pattern": _URIS},
            {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": _URIS}},
        ],
        "description": f"Where to send the user after authorisation; {OOB_REDIRECT_URI} to show the code",
    }
    props["scopes"] = {
        "anyOf": [
            {"type": "string", "pattern": _SCOPES},
            {"type": "array", "items": {"type": "string", "pattern": _SCOPES}},
            {"type": "null"},
        ],
        "default": "read",
        "description": "Space-separated scopes the app may ask for",
    }


class AppIn(BaseModel):
    model_config = ConfigDict(json_schema_extra=_document_app)

    client_name: str = Field(json_schema_extra={"pattern": stripped_length(1, 100)})
    redirect_uris: str
    scopes: str = "read"
    website: str | None = Field(
        None,
        json_schema_extra={"pattern": WEBSITE_PATTERN, "maxLength": 200},
        description="The app's home page",
    )


@router.post("/v1/apps", response=returns(CredentialApplicationOut), openapi_extra=body_schema(AppIn))
def create_app(request: HttpRequest) -> dict:
    data, _files = read_payload(request)
    registered = do_register_app(
        None,
        name=as_text(data.get("client_name"), "client_name") or "",
        redirect_uris=data.get("redirect_uris") or data.get("redirect_uri") or "",
        scopes=data.get("scopes"),
        website=as_text(data.get("website"), "website") or "",
    )
    return app_json(registered.application, client_secret=registered.client_secret)


@router.get(
    "/v1/apps/verify_credentials", auth=token("read", user_required=False), response=returns(ApplicationOut)
)
def verify_app(request: AppRequest) -> dict:
    return app_json(request.auth.application)


@router.post(
    "/v1/emails/confirmations",
    auth=token("write:accounts", allow_unconfirmed=True),
    response=returns(EmptyOut),
)
def resend_confirmation(request: AuthedRequest) -> dict:
    """Email the confirmation link again: 403 `email_already_confirmed` once confirmed, 429 when
    sent too often."""
    do_resend_confirmation(request.user)
    return {}
