from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from agora import __version__
from agora.accounts.models import User

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


@router.get("/v2/instance")
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


@router.get("/v1/instance")
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
