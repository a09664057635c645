"""Mastodon's account endpoints: sign-up through an app, who am I, profile edits, lookups."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router

from agora.accounts.actions import do_update_profile
from agora.accounts.models import User
from agora.accounts.selectors import get_active_user, get_user_by_handle
from agora.accounts.serializers import account_json
from agora.api.auth import token
from agora.core.errors import Invalid, NotFound, RateLimited
from agora.core.payload import as_bool, as_text, read_payload
from agora.core.ratelimit import hit
from agora.platform.actions import do_register_account
from agora.platform.serializers import token_json
from agora.shops.selectors import shop_of
from agora.shops.serializers import account_shop_json

router = Router(tags=["accounts"])

# Uploaded images are read whole into memory before processing; refuse oversized parts early.
MAX_UPLOAD_READ = 64 * 1024 * 1024
# Sign-ups per client IP per rate-limit window (Mastodon allows 25 per 5 minutes), whatever app asks.
SIGN_UPS_PER_IP = 25


def single_account_json(user: User) -> dict[str, Any]:
    """Account JSON where one account is asked for: with `agora_shop`, the shop it runs or null
    (one query; accounts embedded in statuses and lists leave it out)."""
    return account_json(user) | {"agora_shop": account_shop_json(shop_of(user.id))}


def credential_account_json(user: User) -> dict[str, Any]:
    """Account plus the `source` Mastodon returns only to the account's owner."""
    data = single_account_json(user)
    data["source"] = {
        "privacy": "public",
        "sensitive": False,
        "language": user.locale or None,
        "note": user.bio,
        # plain text here, as the owner typed it (the top-level `fields` hold HTML)
        "fields": [{"name": "Website", "value": user.website}] if user.website else [],
        "follow_requests_count": 0,
        "indexable": True,
        "hide_collections": False,
        "discoverable": True,
    }
    return data


def _body_schema(properties: dict[str, Any], required: list[str], *, multipart: bool = False) -> dict:
    types = ["application/json", "application/x-www-form-urlencoded"] + (
        ["multipart/form-data"] if multipart else []
    )
    schema = {"type": "object", "properties": properties, "required": required}
    return {"requestBody": {"content": {ct: {"schema": schema} for ct in types}}}


SIGN_UP_BODY = _body_schema(
    {
        "username": {"type": "string", "pattern": "^[A-Za-z0-9_]{1,30}$"},
        "email": {"type": "string"},
        "password": {"type": "string"},
        "agreement": {"type": "boolean"},
        "locale": {"type": "string"},
        "reason": {"type": "string"},
        "display_name": {"type": "string"},
    },
    ["username", "email", "password", "agreement"],
)
UPDATE_BODY = _body_schema(
    {
        "display_name": {"type": "string"},
        "note": {"type": "string"},
        "locked": {"type": "boolean"},
        "avatar": {"type": "string", "format": "binary"},
        "header": {"type": "string", "format": "binary"},
        "location": {"type": "string"},
        "website": {"type": "string"},
    },
    [],
    multipart=True,
)


@router.post("/v1/accounts", auth=token("write:accounts", user_required=False), openapi_extra=SIGN_UP_BODY)
def sign_up(request: HttpRequest) -> dict:
    if not hit(f"sign-up:{request.META.get('REMOTE_ADDR', '')}", SIGN_UPS_PER_IP).allowed:
        raise RateLimited("Too many sign-ups from your network; try again later.")
    data, _files = read_payload(request)
    _user, tok = do_register_account(
        request.auth.application,  # type: ignore[attr-defined]
        username=as_text(data.get("username"), "username") or "",
        email=as_text(data.get("email"), "email") or "",
        password=as_text(data.get("password"), "password") or "",
        agreement=as_bool(data.get("agreement", False)),
        locale=as_text(data.get("locale"), "locale") or "",
        display_name=as_text(data.get("display_name"), "display_name") or "",
        require_confirmation=settings.AGORA.require_email_confirmation,
    )
    return token_json(tok)


@router.get("/v1/accounts/verify_credentials", auth=token("read:accounts"))
def verify_credentials(request: HttpRequest) -> dict:
    return credential_account_json(request.user)  # type: ignore[arg-type]


def _image(files: Any, name: str) -> bytes | None:
    upload = files.get(name)
    if upload is None:
        return None
    if upload.size > MAX_UPLOAD_READ:
        raise Invalid(f"{name} is too large.", code="file_too_large", status=413)
    return upload.read()


@router.patch("/v1/accounts/update_credentials", auth=token("write:accounts"), openapi_extra=UPDATE_BODY)
def update_credentials(request: HttpRequest) -> dict:
    data, files = read_payload(request)
    locked = data.get("locked")
    user = do_update_profile(
        request.user,  # type: ignore[arg-type]
        display_name=as_text(data.get("display_name"), "display_name"),
        bio=as_text(data.get("note"), "note"),
        location=as_text(data.get("location"), "location"),
        website=as_text(data.get("website"), "website"),
        locked=None if locked is None else as_bool(locked),
        avatar=_image(files, "avatar"),
        header=_image(files, "header"),
    )
    return credential_account_json(user)


@router.get("/v1/accounts/lookup", auth=token("read:accounts", optional=True))
def lookup(request: HttpRequest, acct: str) -> dict:
    handle, _, domain = acct.strip().lstrip("@").partition("@")
    if domain and domain.lower() not in {request.get_host().lower(), _site_host()}:
        raise NotFound("Account not found.")  # no federation: remote accounts are unknown here
    return single_account_json(get_user_by_handle(handle))


@router.get("/v1/accounts/{int:account_id}", auth=token("read:accounts", optional=True))
def get_account(request: HttpRequest, account_id: int) -> dict:
    return single_account_json(get_active_user(account_id))


def _site_host() -> str:
    from urllib.parse import urlsplit

    return (urlsplit(settings.AGORA.site_url).hostname or "").lower()
