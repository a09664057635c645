"""What an API endpoint's `request` holds once its `token(...)` auth has run (agora/api/auth.py).

Annotate an endpoint's request with the type its auth guarantees, and `request.user` /
`request.auth` are typed without casts:

    @router.post("/v1/statuses", auth=token("write:statuses"))
    def create_status(request: AuthedRequest) -> ...:   # request.user is a User

Ninja finds the request argument by its name, so these annotations only inform the type checker.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from oauth2_provider.models import AccessToken

from agora.accounts.models import User
from agora.api.fastpath import Unconfirmed


class PublicRequest(HttpRequest):
    """No auth: the API never acts for a browser session (agora/api/browseronly.py)."""

    user: AnonymousUser  # type: ignore[assignment]


class AuthedRequest(HttpRequest):
    """`token(scope)`: a user's token, checked."""

    user: User  # type: ignore[assignment]
    auth: AccessToken


class AppRequest(HttpRequest):
    """`token(scope, user_required=False)`: a user's token or an app-only one (client credentials)."""

    user: User | AnonymousUser  # type: ignore[assignment]
    auth: AccessToken


class MaybeAuthedRequest(HttpRequest):
    """`token(scope, optional=True)`: anonymous (no Authorization header), or a user's token."""

    user: User | AnonymousUser  # type: ignore[assignment]
    auth: AccessToken | None


class DeferredRequest(HttpRequest):
    """`fastpath.deferred_token(scope)`: either checked (as AuthedRequest) or still `Unconfirmed`, which
    the endpoint checks in its own first query (ADR 0004); `user` is anonymous until then."""

    user: User | AnonymousUser  # type: ignore[assignment]
    auth: AccessToken | Unconfirmed
