"""Response shapes of the account endpoints: Mastodon's Account and CredentialAccount, exactly as
agora/accounts/serializers.py writes them (Mastodon's entity docs are the reference)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from agora.core.schema import IdStr, Out


class CustomEmojiOut(Out):
    shortcode: str
    url: str
    static_url: str
    visible_in_picker: bool
    category: str | None = None


class AccountFieldOut(Out):
    """A profile field; `value` is HTML."""

    name: str
    value: str
    verified_at: datetime | None


class AccountOut(Out):
    """Mastodon's Account, plus Agora's `verified` badge and `location`."""

    id: IdStr
    username: str
    acct: str = Field(description="The handle: Agora has no federation, so the same as username")
    display_name: str
    locked: bool
    bot: bool
    discoverable: bool | None
    group: bool
    created_at: datetime
    note: str = Field(description="The bio as HTML")
    url: str
    uri: str
    avatar: str
    avatar_static: str
    header: str
    header_static: str
    followers_count: int = Field(ge=0)
    following_count: int = Field(ge=0)
    statuses_count: int = Field(ge=0)
    last_status_at: date | None
    emojis: list[CustomEmojiOut]
    fields: list[AccountFieldOut]
    verified: bool
    location: str


class SourceFieldOut(Out):
    """A profile field as its owner typed it (plain text)."""

    name: str
    value: str
    verified_at: datetime | None = None


class AccountSourceOut(Out):
    privacy: str
    sensitive: bool
    language: str | None
    note: str = Field(description="The bio as plain text")
    fields: list[SourceFieldOut]
    follow_requests_count: int = Field(ge=0)
    indexable: bool
    hide_collections: bool | None
    discoverable: bool | None


class AccountShopOut(Out):
    """The shop an account runs (following the account is following the shop)."""

    id: IdStr
    name: str
    url: str


class SingleAccountOut(AccountOut):
    """An account asked for by itself (not embedded in a post or a list): with its shop."""

    agora_shop: AccountShopOut | None = Field(description="Agora: the shop the account runs, or null")


class CredentialAccountOut(SingleAccountOut):
    """The account of the token's own user: Account plus `source`."""

    source: AccountSourceOut
