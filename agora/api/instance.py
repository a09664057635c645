from django.conf import settings
from django.http import HttpRequest
from ninja import Router

from agora import __version__

router = Router(tags=["instance"])

MASTODON_COMPAT_VERSION = "4.3.0"


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
        "source_url": "https://example.invalid/agora",
        "description": "A public square and a market of many shops in one place.",
        "usage": {"users": {"active_month": 0}},
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
    return {
        "uri": request.get_host(),
        "title": agora.site_title,
        "short_description": "A public square and a market of many shops in one place.",
        "description": "A public square and a market of many shops in one place.",
        "email": agora.default_from_email,
        "version": _version(),
        "urls": config["urls"],
        "stats": {"user_count": 0, "status_count": 0, "domain_count": 1},
        "thumbnail": None,
        "languages": ["en", "zh"],
        "registrations": True,
        "approval_required": False,
        "invites_enabled": False,
        "configuration": config,
        "contact_account": None,
        "rules": [],
    }
