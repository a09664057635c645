"""Reads of the open platform, each checking who asks."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Max, QuerySet
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from agora.accounts.models import User
from agora.platform import fastpath


def checksum_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def find_token(checksum: str) -> AccessToken | None:
    """The unexpired access token with this checksum (sha256 of its value), with its user; else None.

    Nothing is cached between requests, so a revoked or expired token or a deactivated user is
    refused on the very next request. A cache of verified tokens was not used: signal-based
    invalidation misses QuerySet.update() (deactivating users in bulk), a cache fill can race a
    revoke, and the Redis round trip it would need costs about as much as this indexed query."""
    if settings.AGORA.fast_paths:
        return fastpath.find_token(checksum)
    tok = AccessToken.objects.select_related("user").filter(token_checksum=checksum).first()
    return None if tok is None or tok.expires <= timezone.now() else tok


def owned_apps(user: User) -> QuerySet[Application]:
    return Application.objects.select_related("profile").filter(profile__owner=user).order_by("-id")


def owner_token(user: User, app: Application) -> AccessToken | None:
    return (
        AccessToken.objects.filter(user=user, application=app, expires__gt=timezone.now())
        .order_by("-id")
        .first()
    )


def authorized_apps(user: User) -> list[dict]:
    """Apps holding a live token for `user`, with the union of scopes granted and the last grant."""
    rows = (
        AccessToken.objects.filter(user=user, expires__gt=timezone.now())
        .values("application_id")
        .annotate(last=Max("created"))
        .order_by("-last")
    )
    apps = Application.objects.in_bulk([r["application_id"] for r in rows])
    scopes: dict[int, set[str]] = {}
    for app_id, scope in AccessToken.objects.filter(user=user, expires__gt=timezone.now()).values_list(
        "application_id", "scope"
    ):
        scopes.setdefault(app_id, set()).update(scope.split())
    return [
        {
            "application": apps[r["application_id"]],
            "scopes": sorted(scopes.get(r["application_id"], ())),
            "last": r["last"],
        }
        for r in rows
        if r["application_id"] in apps
    ]
