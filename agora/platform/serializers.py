"""Mastodon JSON for apps and tokens."""

from __future__ import annotations

from typing import Any

from oauth2_provider.models import AccessToken, Application

from agora.platform.oauth import registered_scopes


def app_json(app: Application, *, client_secret: str | None = None) -> dict[str, Any]:
    uris = app.redirect_uris.split()
    profile = getattr(app, "profile", None)
    data: dict[str, Any] = {
        "id": str(app.id),
        "name": app.name,
        "website": (profile.website or None) if profile else None,
        "scopes": sorted(registered_scopes(app) or []),
        "redirect_uri": "\n".join(uris),
        "redirect_uris": uris,
        "vapid_key": "",
    }
    if client_secret is not None:
        data.update(client_id=app.client_id, client_secret=client_secret, client_secret_expires_at=0)
    return data


def token_json(tok: AccessToken) -> dict[str, Any]:
    return {
        "access_token": tok.token,
        "token_type": "Bearer",
        "scope": tok.scope,
        "created_at": int(tok.created.timestamp()),
    }
