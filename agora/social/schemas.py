"""Response shapes of the square's endpoints: Mastodon's Status, Context, StatusEdit, StatusSource,
Relationship and Tag, exactly as agora/social/serializers.py, relationships.py and selectors.py write
them (Mastodon's entity docs are the reference)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from agora.accounts.schemas import AccountOut, CustomEmojiOut
from agora.core.schema import IdStr, Out
from agora.media.schemas import MediaAttachmentOut

Visibility = Literal["public", "unlisted", "private", "direct"]


class PreviewCardOut(Out):
    """Mastodon's PreviewCard: the first product a post carries (Agora makes no other link previews)."""

    url: str
    title: str
    description: str
    language: str | None
    type: Literal["link", "photo", "video", "rich"]
    author_name: str
    author_url: str
    provider_name: str
    provider_url: str
    html: str
    width: int = Field(ge=0)
    height: int = Field(ge=0)
    image: str | None
    image_description: str
    embed_url: str
    blurhash: str | None
    published_at: datetime | None
    authors: list[dict[str, Any]] = Field(max_length=0)


class ProductShopOut(Out):
    id: IdStr
    name: str


class AgoraProductOut(Out):
    """A product a post carries: title and image as posted, the rest live (Agora's extension)."""

    id: IdStr
    title: str
    image: str | None
    price: str | None = Field(description='A decimal string, e.g. "129.00"')
    currency: str
    shop: ProductShopOut | None
    in_stock: bool
    available: bool = Field(description="false once the seller delisted it")
    rating: float | None
    sold_count: int = Field(ge=0)
    url: str


class AgoraReviewOut(Out):
    """The buyer's review a post publishes (Agora's extension; 晒单)."""

    id: IdStr
    rating: int = Field(ge=1, le=5)
    verified_purchase: Literal[True] = Field(
        description="Always true: a review exists only for a completed order line of the product"
    )


class MentionOut(Out):
    id: IdStr
    username: str
    acct: str
    url: str


class StatusTagOut(Out):
    name: str
    url: str


class StatusApplicationOut(Out):
    name: str
    website: str | None = None


class QuoteOut(Out):
    """Mastodon's Quote: a post quoted by this one (Weibo's repost with comment)."""

    state: Literal[
        "pending",
        "accepted",
        "rejected",
        "revoked",
        "deleted",
        "unauthorized",
        "blocked_account",
        "blocked_domain",
        "muted_account",
    ]
    quoted_status: StatusOut | None


class StatusOut(Out):
    """Mastodon's Status. The reader's flags (favourited, reblogged, bookmarked) are false for an
    anonymous reader; `text` is the source text, sent only to the author."""

    id: IdStr
    created_at: datetime
    edited_at: datetime | None
    in_reply_to_id: IdStr | None
    in_reply_to_account_id: IdStr | None
    sensitive: bool
    spoiler_text: str
    visibility: Visibility
    language: str | None
    uri: str
    url: str | None
    replies_count: int = Field(ge=0)
    reblogs_count: int = Field(ge=0)
    favourites_count: int = Field(ge=0)
    quotes_count: int = Field(ge=0)
    favourited: bool
    reblogged: bool
    muted: bool
    bookmarked: bool
    pinned: bool
    content: str = Field(description="HTML")
    text: str | None
    filtered: list[dict[str, Any]] = Field(max_length=0, description="Agora has no filters: always empty")
    reblog: StatusOut | None
    quote: QuoteOut | None
    quote_id: IdStr | None = Field(description="The quoted post's id (Agora; also in `quote`)")
    application: StatusApplicationOut | None
    account: AccountOut
    media_attachments: list[MediaAttachmentOut]
    mentions: list[MentionOut]
    tags: list[StatusTagOut]
    emojis: list[CustomEmojiOut]
    card: PreviewCardOut | None = Field(description="The first product the post carries, or null")
    poll: None = Field(description="Agora has no polls: always null")
    agora_products: list[AgoraProductOut] = Field(
        max_length=9, description="Agora: the products the post carries, in order"
    )
    agora_review: AgoraReviewOut | None = Field(
        description="Agora: the buyer's review this post publishes (stars, verified purchase), or null"
    )


class ContextOut(Out):
    ancestors: list[StatusOut]
    descendants: list[StatusOut]


class StatusEditOut(Out):
    """One version of a post (GET /statuses/:id/history), oldest first."""

    content: str
    spoiler_text: str
    sensitive: bool
    created_at: datetime
    account: AccountOut
    poll: None = Field(description="Agora has no polls: always null")
    media_attachments: list[MediaAttachmentOut]
    emojis: list[CustomEmojiOut]


class StatusSourceOut(Out):
    id: IdStr
    text: str
    spoiler_text: str


class RelationshipOut(Out):
    id: IdStr
    following: bool
    showing_reblogs: bool
    notifying: bool
    languages: list[str] | None
    followed_by: bool
    blocking: bool
    blocked_by: bool
    muting: bool
    muting_notifications: bool
    requested: bool
    requested_by: bool
    domain_blocking: bool
    endorsed: bool
    note: str


class TagHistoryOut(Out):
    day: str
    uses: str
    accounts: str


class TagOut(Out):
    id: IdStr
    name: str
    url: str
    history: list[TagHistoryOut]
    following: bool | SkipJsonSchema[None] = Field(
        None, description="Whether the reader follows the tag: only for a signed-in reader"
    )


QuoteOut.model_rebuild()
