"""Reads of OAuth apps that check who asks: anyone else's app reads as missing."""

from __future__ import annotations

from oauth2_provider.models import Application

from agora.accounts.models import User
from agora.core.errors import NotFound


def access_owned_app(user: User, app_id: int, *, lock: bool = False) -> Application:
    """An app `user` registered; NotFound for anyone else's (never say it exists)."""
    qs = Application.objects.select_related("profile").filter(id=app_id, profile__owner=user)
    if lock:
        qs = qs.select_for_update()
    app = qs.first()
    if app is None:
        raise NotFound("Application not found.")
    return app


def access_authorized_app(user: User, app_id: int) -> Application:
    app = Application.objects.filter(id=app_id, accesstoken__user=user).distinct().first()
    if app is None:
        raise NotFound("Application not found.")
    return app
