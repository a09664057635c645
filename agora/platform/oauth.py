"""django-oauth-toolkit hooks: which grants and scopes an app may use, and JSON token requests."""

from __future__ import annotations

import json
from typing import Any

from oauth2_provider.oauth2_backends import OAuthLibCore
from oauth2_provider.oauth2_validators import OAuth2Validator

from agora.platform import scopes as scope_rules

OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob"
# Grants an app registered through /api/v1/apps (or the settings page) may use, whatever the single
# grant type stored on DOT's Application row says: Mastodon apps sign users in with a code, get an
# app token with client credentials (for sign-up) and refresh.
PROFILE_GRANTS = {"authorization_code", "client_credentials", "refresh_token"}


def registered_scopes(application: Any) -> set[str] | None:
    """The scopes the app registered, or None for a bare DOT Application (no AppProfile)."""
    if application is None:
        return None
    try:
        return set(application.profile.scope_list)
    except Exception:  # RelatedObjectDoesNotExist: an app made in the admin or by a test factory
        return None


def within_registered(requested: set[str], registered: set[str]) -> bool:
    """Mastodon lets an app that registered `read` ask for `read:statuses`: check each scope."""
    return all(scope_rules.grants(registered, scope) for scope in requested)


class AgoraOAuth2Validator(OAuth2Validator):
    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs) -> bool:
        if grant_type in PROFILE_GRANTS and registered_scopes(request.client) is not None:
            return True
        return super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs) -> bool:
        requested = set(scopes)
        if not requested.issubset(scope_rules.all_scopes()):
            return False
        registered = registered_scopes(client)
        if registered is None:
            return True
        return within_registered(requested, registered)

    def get_default_scopes(self, client_id, request, *args, **kwargs) -> list[str]:
        registered = registered_scopes(getattr(request, "client", None))
        if registered is None or "read" in registered:
            return ["read"]
        return sorted(registered)


class AgoraOAuthLibCore(OAuthLibCore):
    """Reads form bodies, and JSON bodies as Mastodon does (many Mastodon clients send JSON)."""

    def extract_body(self, request):
        if request.content_type == "application/json":
            try:
                data = json.loads(request.body or b"{}")
            except ValueError:
                return []
            if not isinstance(data, dict):
                return []
            return [
                (str(k), v if isinstance(v, str) else json.dumps(v)) for k, v in data.items() if v is not None
            ]
        return super().extract_body(request)
