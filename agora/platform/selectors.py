"""Reads of the open platform, each checking who asks."""

from __future__ import annotations

from django.db.models import Max, QuerySet
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from agora.accounts.models import User


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
