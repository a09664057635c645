"""Response shapes of the app endpoints: Mastodon's Application, CredentialApplication and Token, as
agora/platform/serializers.py writes them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from agora.core.schema import IdStr, Out


class ApplicationOut(Out):
    id: IdStr
    name: str
    website: str | None
    scopes: list[str]
    redirect_uri: str = Field(description="The redirect URIs, one per line (Mastodon's older field)")
    redirect_uris: list[str]
    vapid_key: str


class CredentialApplicationOut(ApplicationOut):
    """A newly registered app, with its client credentials (shown once)."""

    client_id: str
    client_secret: str
    client_secret_expires_at: int = Field(description="0: the secret does not expire")


class TokenOut(Out):
    access_token: str
    token_type: Literal["Bearer"]
    scope: str
    created_at: int = Field(description="Unix time")
