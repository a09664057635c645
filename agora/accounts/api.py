"""Mastodon's account endpoints: sign-up through an app, who am I, profile edits, lookups."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Router
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from agora.accounts.actions import PROFILE_TEXT_LIMITS, RESERVED_HANDLES, do_update_profile
from agora.accounts.models import HANDLE_PATTERN, User
from agora.accounts.schemas import CredentialAccountOut, SingleAccountOut
from agora.accounts.selectors import get_active_user, get_user_by_handle
from agora.accounts.serializers import account_json
from agora.api.auth import token
from agora.api.contract import body_schema, returns
from agora.api.request import AppRequest, AuthedRequest, MaybeAuthedRequest
from agora.core.errors import Invalid, NotFound, RateLimited
from agora.core.payload import FLAG_SCHEMA, TRUE_WORDS, as_bool, as_text, read_payload
from agora.core.ratelimit import hit
from agora.core.schema import WEBSITE_PATTERN, Text, stripped_length
from agora.platform.actions import do_register_account
from agora.platform.schemas import TokenOut
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


# RESERVED_HANDLES, refused whatever their case: "admin" as [Aa][Dd][Mm][Ii][Nn]
_CASELESS = "|".join("".join(f"[{c.upper()}{c}]" if c.isalpha() else c for c in h) for h in RESERVED_HANDLES)
RESERVED: dict[str, Any] = {"pattern": f"^(?:{_CASELESS})$"}


# An address Django's EmailValidator takes (check_email): a dot-atom, "@", a domain whose top-level
# label has 2 to 63 letters (or dashes inside), or localhost. (It also takes quoted local parts, IP literals and
# internationalised domains, which this leaves out.)
_ATOM = "[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+"
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = f"^{_ATOM}(?:\\.{_ATOM})*@(?:(?:{_LABEL}\\.)+[A-Za-z][A-Za-z-]{{0,61}}[A-Za-z]|localhost)$"


class SignUpIn(BaseModel):
    """POST /api/v1/accounts (what agora/accounts/actions.py checks, for the document)."""

    username: str = Field(
        pattern=HANDLE_PATTERN,
        json_schema_extra={"not": RESERVED},
        description="The handle: 1 to 30 letters, digits or underscores; not one the site reserves",
    )
    email: str = Field(json_schema_extra={"pattern": EMAIL_PATTERN, "maxLength": 254})
    password: str = Field(
        min_length=8,
        # Django's validators also refuse common passwords and ones like the handle or the email.
        json_schema_extra={
            "pattern": "^[^\\x00]*[^0-9\\x00][^\\x00]*$",
            "description": "8 or more characters, not all digits",
        },
    )
    agreement: bool = Field(description="Agreement to the site's terms: must be true")
    locale: str = Field("", description="Its first 10 characters are kept")
    reason: str = Field("", description="Ignored: sign-ups need no approval")
    display_name: str = Field("", description="Its first 60 characters are kept")

    model_config = ConfigDict(
        json_schema_extra=lambda schema: schema["properties"].update(
            agreement={
                "anyOf": [
                    {"const": True},
                    {"type": "integer", "const": 1},
                    {"type": "string", "enum": sorted(TRUE_WORDS)},
                ]
            }
        )
    )


def _profile_text(limit: int) -> Any:
    return Field(None, json_schema_extra={"pattern": stripped_length(0, limit)})


class ProfileIn(BaseModel):
    """PATCH /api/v1/accounts/update_credentials: the fields to change (text is stripped)."""

    display_name: str | None = _profile_text(PROFILE_TEXT_LIMITS["display_name"])
    note: str | None = _profile_text(PROFILE_TEXT_LIMITS["bio"])
    location: str | None = _profile_text(PROFILE_TEXT_LIMITS["location"])
    website: str | None = Field(
        None,
        json_schema_extra={
            "pattern": WEBSITE_PATTERN,
            "description": "An http(s) URL, or empty to remove it",
        },
    )
    locked: bool | None = None
    avatar: bytes | SkipJsonSchema[None] = Field(None, description="An image (JPEG, PNG, WebP or GIF)")
    header: bytes | SkipJsonSchema[None] = Field(None, description="An image (JPEG, PNG, WebP or GIF)")

    model_config = ConfigDict(
        json_schema_extra=lambda schema: schema["properties"].update(
            locked={"anyOf": [*FLAG_SCHEMA["anyOf"], {"type": "null"}]}
        )
    )


SIGN_UP_BODY = body_schema(SignUpIn)
IMAGE_TYPES = "image/jpeg, image/png, image/webp, image/gif"
UPDATE_BODY = body_schema(
    ProfileIn, multipart=True, required=False, files={"avatar": IMAGE_TYPES, "header": IMAGE_TYPES}
)


@router.post(
    "/v1/accounts",
    auth=token("write:accounts", user_required=False),
    response=returns(TokenOut),
    openapi_extra=SIGN_UP_BODY,
)
def sign_up(request: AppRequest) -> dict:
    """Sign up through an app (Mastodon's registration): the app gets a token for the new user.
    409 when the handle or the email is taken."""
    if not hit(f"sign-up:{request.META.get('REMOTE_ADDR', '')}", SIGN_UPS_PER_IP).allowed:
        raise RateLimited("Too many sign-ups from your network; try again later.")
    data, _files = read_payload(request)
    as_text(data.get("reason"), "reason")  # unused (no approval), but text like any other
    _user, tok = do_register_account(
        request.auth.application,
        username=as_text(data.get("username"), "username") or "",
        email=as_text(data.get("email"), "email") or "",
        password=as_text(data.get("password"), "password") or "",
        agreement=as_bool(data.get("agreement", False), "agreement"),
        locale=as_text(data.get("locale"), "locale") or "",
        display_name=as_text(data.get("display_name"), "display_name") or "",
        require_confirmation=settings.AGORA.require_email_confirmation,
    )
    return token_json(tok)


@router.get(
    "/v1/accounts/verify_credentials", auth=token("read:accounts"), response=returns(CredentialAccountOut)
)
def verify_credentials(request: AuthedRequest) -> dict:
    return credential_account_json(request.user)


def _image(files: Any, name: str) -> bytes | None:
    if len(files.getlist(name)) > 1:
        raise Invalid(f"Send one {name} image.", code="validation_failed", field=name)
    upload = files.get(name)
    if upload is None:
        return None
    if upload.size > MAX_UPLOAD_READ:
        raise Invalid(f"{name} is too large.", code="file_too_large", status=413)
    return upload.read()


@router.patch(
    "/v1/accounts/update_credentials",
    auth=token("write:accounts"),
    response=returns(CredentialAccountOut, 413),
    openapi_extra=UPDATE_BODY,
)
def update_credentials(request: AuthedRequest) -> dict:
    data, files = read_payload(request)
    locked = data.get("locked")
    user = do_update_profile(
        request.user,
        display_name=as_text(data.get("display_name"), "display_name"),
        bio=as_text(data.get("note"), "note"),
        location=as_text(data.get("location"), "location"),
        website=as_text(data.get("website"), "website"),
        locked=None if locked is None else as_bool(locked, "locked"),
        avatar=_image(files, "avatar"),
        header=_image(files, "header"),
    )
    return credential_account_json(user)


@router.get(
    "/v1/accounts/lookup", auth=token("read:accounts", optional=True), response=returns(SingleAccountOut, 404)
)
def lookup(request: MaybeAuthedRequest, acct: Text) -> dict:
    handle, _, domain = acct.strip().lstrip("@").partition("@")
    if domain and domain.lower() not in {request.get_host().lower(), _site_host()}:
        raise NotFound("Account not found.")  # no federation: remote accounts are unknown here
    return single_account_json(get_user_by_handle(handle))


@router.get(
    "/v1/accounts/{int:account_id}",
    auth=token("read:accounts", optional=True),
    response=returns(SingleAccountOut),
)
def get_account(request: MaybeAuthedRequest, account_id: int) -> dict:
    return single_account_json(get_active_user(account_id))


def _site_host() -> str:
    from urllib.parse import urlsplit

    return (urlsplit(settings.AGORA.site_url).hostname or "").lower()
