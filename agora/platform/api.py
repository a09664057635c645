"""Mastodon's app endpoints: register a client (anonymously, as Mastodon does) and check an app token."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from agora.api.auth import token
from agora.core.payload import as_text, read_payload
from agora.platform.actions import do_register_app, do_resend_confirmation
from agora.platform.serializers import app_json

router = Router(tags=["apps"])

APP_BODY = {
    "requestBody": {
        "content": {
            ct: {
                "schema": {
                    "type": "object",
                    "required": ["client_name", "redirect_uris"],
                    "properties": {
                        "client_name": {"type": "string"},
                        "redirect_uris": {
                            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
                        },
                        "scopes": {"type": "string", "default": "read"},
                        "website": {"type": "string"},
                    },
                }
            }
            for ct in ("application/json", "application/x-www-form-urlencoded")
        }
    }
}


@router.post("/v1/apps", openapi_extra=APP_BODY)
def create_app(request: HttpRequest) -> dict:
    data, _files = read_payload(request)
    registered = do_register_app(
        None,
        name=as_text(data.get("client_name"), "client_name") or "",
        redirect_uris=data.get("redirect_uris") or data.get("redirect_uri") or "",
        scopes=data.get("scopes") or "read",
        website=as_text(data.get("website"), "website") or "",
    )
    return app_json(registered.application, client_secret=registered.client_secret)


@router.get("/v1/apps/verify_credentials", auth=token("read", user_required=False))
def verify_app(request: HttpRequest) -> dict:
    return app_json(request.auth.application)  # type: ignore[attr-defined]


@router.post("/v1/emails/confirmations", auth=token("write:accounts", allow_unconfirmed=True))
def resend_confirmation(request: HttpRequest) -> dict:
    do_resend_confirmation(request.user)  # type: ignore[arg-type]
    return {}
