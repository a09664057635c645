from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from agora import __version__
from agora.accounts.models import User
from agora.accounts.schemas import AccountOut
from agora.api.contract import returns
from agora.core.schema import Out

router = Router(tags=["instance"])

MASTODON_COMPAT_VERSION = "4.3.0"
STATS_CACHE_KEY = "instance:stats"
STATS_TTL_SECONDS = 60


def instance_stats() -> dict[str, int]:
    """User and status counts in one aggregate query, cached for a minute (clients poll /instance)."""
    stats = cache.get(STATS_CACHE_KEY)
    if stats is None:
        month_ago = timezone.now() - timedelta(days=30)
        row = User.objects.filter(is_active=True).aggregate(
            users=Count("id"),
            active_month=Count("id", filter=Q(last_active_at__gte=month_ago)),
            # statuses_count is kept per author by the social app, so no scan of the status table.
            statuses=Sum("statuses_count"),
        )
        stats = {k: int(v or 0) for k, v in row.items()}
        cache.set(STATS_CACHE_KEY, stats, STATS_TTL_SECONDS)
    return stats


def _source_url() -> str:
    # AGORA_SOURCE_URL if the ops settings grow one; otherwise the instance's own API docs.
    return getattr(settings.AGORA, "source_url", "") or settings.AGORA.site_url.rstrip("/") + "/api/docs"


def _version() -> str:
    return f"{MASTODON_COMPAT_VERSION} (compatible; Agora {__version__})"


# --- shapes (Mastodon's Instance v1 and v2, as the endpoints below write them) ------------------------


class UrlsOut(Out):
    streaming: str | None


class AccountsConfigOut(Out):
    max_featured_tags: int
    max_pinned_statuses: int


class StatusesConfigOut(Out):
    max_characters: int
    max_media_attachments: int
    characters_reserved_per_url: int


class MediaConfigOut(Out):
    supported_mime_types: list[str]
    image_size_limit: int
    image_matrix_limit: int
    video_size_limit: int
    video_frame_rate_limit: int
    video_matrix_limit: int


class PollsConfigOut(Out):
    max_options: int
    max_characters_per_option: int
    min_expiration: int
    max_expiration: int


class TranslationConfigOut(Out):
    enabled: bool


class CommerceConfigOut(Out):
    currency: str


class ConfigurationOut(Out):
    urls: UrlsOut
    accounts: AccountsConfigOut
    statuses: StatusesConfigOut
    media_attachments: MediaConfigOut
    polls: PollsConfigOut
    translation: TranslationConfigOut
    commerce: CommerceConfigOut


class RuleOut(Out):
    id: str
    text: str


class ActiveUsersOut(Out):
    active_month: int


class UsageOut(Out):
    users: ActiveUsersOut


class ThumbnailOut(Out):
    url: str


class RegistrationsOut(Out):
    enabled: bool
    approval_required: bool
    message: str | None


class ContactOut(Out):
    email: str
    account: AccountOut | None


class InstanceOut(Out):
    """Mastodon's Instance (v2)."""

    domain: str
    title: str
    version: str
    source_url: str
    description: str
    usage: UsageOut
    thumbnail: ThumbnailOut
    languages: list[str]
    configuration: ConfigurationOut
    registrations: RegistrationsOut
    contact: ContactOut
    rules: list[RuleOut]


class StatsOut(Out):
    user_count: int
    status_count: int
    domain_count: int


class InstanceV1Out(Out):
    """Mastodon's V1::Instance (deprecated by Mastodon, still read by older clients)."""

    uri: str
    title: str
    short_description: str
    description: str
    email: str
    version: str
    urls: UrlsOut
    stats: StatsOut
    thumbnail: str | None
    languages: list[str]
    registrations: bool
    approval_required: bool
    invites_enabled: bool
    configuration: ConfigurationOut
    contact_account: AccountOut | None
    rules: list[RuleOut]


def _configuration() -> dict:
    agora = settings.AGORA
    return {
        "urls": {"streaming": None},
        "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
        "statuses": {
            "max_characters": agora.max_post_chars,
            "max_media_attachments": agora.max_post_media,
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {
            "supported_mime_types": ["image/jpeg", "image/png", "image/webp", "image/gif"],
            "image_size_limit": agora.max_image_bytes,
            "image_matrix_limit": 16_777_216,
            "video_size_limit": 0,
            "video_frame_rate_limit": 0,
            "video_matrix_limit": 0,
        },
        "polls": {"max_options": 0, "max_characters_per_option": 0, "min_expiration": 0, "max_expiration": 0},
        "translation": {"enabled": False},
        "commerce": {"currency": "CNY"},
    }


@router.get("/v2/instance", response=returns(InstanceOut))
def instance_v2(request: HttpRequest) -> dict:
    agora = settings.AGORA
    return {
        "domain": request.get_host(),
        "title": agora.site_title,
        "version": _version(),
        "source_url": _source_url(),
        "description": "A public square and a market of many shops in one place.",
        "usage": {"users": {"active_month": instance_stats()["active_month"]}},
        "thumbnail": {"url": agora.site_url.rstrip("/") + "/static/web/img/header.svg"},
        "languages": ["en", "zh"],
        "configuration": _configuration(),
        "registrations": {
            "enabled": True,
            "approval_required": False,
            "message": None,
        },
        "contact": {"email": agora.default_from_email, "account": None},
        "rules": [],
    }


@router.get("/v1/instance", response=returns(InstanceV1Out))
def instance_v1(request: HttpRequest) -> dict:
    agora = settings.AGORA
    config = _configuration()
    stats = instance_stats()
    return {
        "uri": request.get_host(),
        "title": agora.site_title,
        "short_description": "A public square and a market of many shops in one place.",
        "description": "A public square and a market of many shops in one place.",
        "email": agora.default_from_email,
        "version": _version(),
        "urls": config["urls"],
        "stats": {"user_count": stats["users"], "status_count": stats["statuses"], "domain_count": 1},
        "thumbnail": None,
        "languages": ["en", "zh"],
        "registrations": True,
        "approval_required": False,
        "invites_enabled": False,
        "configuration": config,
        "contact_account": None,
        "rules": [],
    }
