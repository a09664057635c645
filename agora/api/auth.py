"""Bearer-token authentication for the API, with the scope each endpoint declares.

    @router.get("/things", auth=token("read:statuses"))           # token required
    @router.get("/things", auth=token("read:statuses", optional=True))  # anonymous allowed

After it runs, `request.user` is the token's user (AnonymousUser for an app-only token or none)
and `request.auth` is the AccessToken (or None). The token is looked up by
agora/platform/selectors.py `find_token`. The home timeline and checkout check their token inside
their own first query instead (agora/api/fastpath.py, ADR 0004).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer
from oauth2_provider.models import AccessToken

from agora.core import ratelimit
from agora.core.errors import Forbidden, RateLimited, Unauthorized
from agora.platform import scopes
from agora.platform.selectors import checksum_of, find_token

# checksum -> user id of the tokens this process has found: which user a deferred check starts
# reading for (agora/api/fastpath.py). Never trusted on its own: the deferred check checks the
# token itself.
token_users: dict[str, int] = {}
_TOKEN_USERS_MAX = 100_000


def remember_user(checksum: str, user_id: int) -> None:
    if token_users.get(checksum) != user_id:
        if len(token_users) >= _TOKEN_USERS_MAX:
            token_users.clear()
        token_users[checksum] = user_id


def request_token(request: HttpRequest, raw: str) -> AccessToken | None:
    """find_token, remembered on the request: the idempotency middleware and the endpoint share one query."""
    cached = getattr(request, "_agora_token", None)
    if cached is not None and cached[0] == raw:
        return cached[1]
    checksum = checksum_of(raw)
    tok = find_token(checksum)
    if tok is not None and tok.user_id is not None:
        remember_user(checksum, tok.user_id)
    request._agora_token = (raw, tok)  # type: ignore[attr-defined]
    return tok


class TokenAuth(HttpBearer):
    def __init__(
        self,
        scope: str,
        *,
        optional: bool = False,
        user_required: bool = True,
        allow_unconfirmed: bool = False,
    ) -> None:
        super().__init__()
        self.scope = scope
        self.optional = optional
        self.user_required = user_required
        # Only for the endpoint that re-sends the confirmation email.
        self.allow_unconfirmed = allow_unconfirmed
        # Shown in the OpenAPI document so clients can see what each endpoint needs.
        self.openapi_scopes = [scope]

    def __call__(self, request: HttpRequest) -> Any:
        # META, not request.headers: building the headers mapping walks every environ key
        # (granian's environ carries the whole process environment).
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header and self.optional:
            # Anonymous: the API never acts for a browser session (agora/api/browseronly.py).
            request.auth = None  # type: ignore[attr-defined]
            request.user = AnonymousUser()
            return True
        if not header.lower().startswith("bearer "):
            raise Unauthorized(
                "This endpoint needs an OAuth access token: Authorization: Bearer <token>.",
                code="token_required",
            )
        return self.authenticate(request, header[7:].strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return self.admit(request, request_token(request, token))

    def admit(self, request: HttpRequest, tok: AccessToken | None) -> AccessToken:
        """The checks on a looked-up token (None: not found or expired); raises when one fails."""
        if tok is None:
            # The rate limiter buckets requests by token without looking it up; a client making up
            # a new token per request would never fill a bucket, so bad tokens also count per IP.
            if not ratelimit.hit_ip(request).allowed:
                raise RateLimited("Too many requests with invalid tokens from this address.")
            raise Unauthorized("The access token is invalid, expired or revoked.", code="invalid_token")
        user = tok.user
        if user is not None and not user.is_active:
            raise Unauthorized("This account is disabled.", code="account_disabled")
        if (
            user is not None
            and settings.AGORA.require_email_confirmation
            and not user.email_confirmed
            and not self.allow_unconfirmed
        ):
            raise Forbidden(
                "Confirm your email address first: open the link we emailed you.", code="email_unconfirmed"
            )
        if not scopes.grants(scopes.parse(tok.scope), self.scope):
            raise Forbidden(
                f"This action needs the '{self.scope}' scope, which the access token was not granted.",
                code="insufficient_scope",
            )
        if user is None and self.user_required and not self.optional:
            raise Forbidden(
                "This endpoint needs a token issued to a user, not an app-only token.",
                code="user_token_required",
            )
        request.user = user or AnonymousUser()
        request.auth = tok  # type: ignore[attr-defined]
        return tok


def token(
    scope: str,
    *,
    optional: bool = False,
    user_required: bool = True,
    allow_unconfirmed: bool = False,
) -> TokenAuth:
    return TokenAuth(
        scope, optional=optional, user_required=user_required, allow_unconfirmed=allow_unconfirmed
    )


def document_scopes(api: Any) -> None:
    """Make the OpenAPI document name the OAuth scope of every endpoint.

    Ninja lists a security scheme per operation but leaves its scopes empty, so the generated
    document is post-processed: each operation guarded by TokenAuth gets `[{"OAuth2": [scope]}]`
    (plus `{}` when anonymous calls are allowed) and an OAuth2 scheme describing our flows.
    """
    original = api.get_openapi_schema

    def get_openapi_schema(*args: Any, **kwargs: Any) -> Any:
        schema = original(*args, **kwargs)
        needed: dict[str, TokenAuth] = {}
        for _prefix, router in api._routers:
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    for callback in operation.auth_callbacks or []:
                        if isinstance(callback, TokenAuth):
                            needed[api.get_openapi_operation_id(operation)] = callback
        for methods in schema.get("paths", {}).values():
            for op in methods.values():
                auth = needed.get(op.get("operationId", "")) if isinstance(op, dict) else None
                if auth is None:
                    continue
                op["security"] = [{"OAuth2": [auth.scope]}] + ([{}] if auth.optional else [])
        components = schema.setdefault("components", {})
        schemes = components.setdefault("securitySchemes", {})
        schemes.pop("TokenAuth", None)
        all_scopes = scopes.all_scopes()
        schemes["OAuth2"] = {
            "type": "oauth2",
            "description": "Register an app at POST /api/v1/apps, then get a token at /oauth/token.",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": "/oauth/authorize",
                    "tokenUrl": "/oauth/token",
                    "refreshUrl": "/oauth/token",
                    "scopes": all_scopes,
                },
                "clientCredentials": {"tokenUrl": "/oauth/token", "scopes": all_scopes},
            },
        }
        return schema

    api.get_openapi_schema = get_openapi_schema
