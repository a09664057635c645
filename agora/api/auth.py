"""Bearer-token authentication for the API, with the scope each endpoint declares.

    @router.get("/things", auth=token("read:statuses"))           # token required
    @router.get("/things", auth=token("read:statuses", optional=True))  # anonymous allowed

After it runs, `request.user` is the token's user (AnonymousUser for an app-only token or none)
and `request.auth` is the AccessToken (or None).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from oauth2_provider.models import AccessToken

from agora.core import ratelimit
from agora.core.errors import Forbidden, RateLimited, Unauthorized
from agora.core.sqlrows import Prepared
from agora.platform import scopes


class _TokenQuery:
    """The token + user lookup as one fixed SQL string, built once per database vendor (and
    planned once per PostgreSQL session: agora.core.sqlrows.Prepared).

    The ORM spent ~1 ms of CPU per request building and compiling the same queryset
    (bench/square/cpu_per_request.py); this runs the identical JOIN with a cursor and builds the
    two instances with Model.from_db, so nothing is cached between requests and a revoked token,
    an expired one or a deactivated user is refused on the very next request. A cache of verified
    tokens was not used: signal-based invalidation misses QuerySet.update() (e.g. deactivating a
    user in bulk), a cache fill can race a revoke, and the Redis round trip it would need costs
    about as much as this one indexed query.
    """

    def __init__(self, vendor: str) -> None:
        user_model = AccessToken._meta.get_field("user").related_model
        self.token_fields = list(AccessToken._meta.concrete_fields)
        self.user_fields = list(user_model._meta.concrete_fields)  # type: ignore[union-attr]
        self.user_model = user_model
        self.token_names = [f.attname for f in self.token_fields]
        self.user_names = [f.attname for f in self.user_fields]
        qn = connection.ops.quote_name
        t, u = qn(AccessToken._meta.db_table), qn(user_model._meta.db_table)  # type: ignore[union-attr]
        cols = [f"{t}.{qn(f.column)}" for f in self.token_fields] + [
            f"{u}.{qn(f.column)}" for f in self.user_fields
        ]
        # Identifiers come from model metadata; the checksum is a query parameter.
        self.query = Prepared(
            "agora_token",
            f"SELECT {', '.join(cols)} FROM {t} LEFT OUTER JOIN {u} "  # noqa: S608
            f"ON {u}.{qn('id')} = {t}.{qn('user_id')} WHERE {t}.{qn('token_checksum')} = %s",
        )
        # The same value conversions the ORM would apply (e.g. SQLite datetimes made aware); on
        # PostgreSQL this list is usually empty.
        self.converters: list[tuple[int, list[Any]]] = []
        for i, f in enumerate(self.token_fields + self.user_fields):
            col = f.get_col(f.model._meta.db_table)
            convs = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
            if convs:
                self.converters.append((i, [(c, col) for c in convs]))
        self.vendor = vendor

    def run(self, checksum: str) -> AccessToken | None:
        with connection.cursor() as cursor:
            self.query.execute(cursor, [checksum])
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = list(row)
            for i, convs in self.converters:
                for conv, col in convs:
                    row[i] = conv(row[i], col, connection)
        n = len(self.token_fields)
        db = connection.alias
        tok = AccessToken.from_db(db, self.token_names, row[:n])
        if tok.user_id is None:
            tok.user = None
        else:
            tok.user = self.user_model.from_db(db, self.user_names, row[n:])
        return tok


_queries: dict[str, _TokenQuery] = {}


def find_token(raw: str) -> AccessToken | None:
    checksum = hashlib.sha256(raw.encode()).hexdigest()
    query = _queries.get(connection.vendor)
    if query is None:
        query = _queries[connection.vendor] = _TokenQuery(connection.vendor)
    tok = query.run(checksum)
    if tok is None or tok.expires <= timezone.now():
        return None
    return tok


def request_token(request: HttpRequest, raw: str) -> AccessToken | None:
    """find_token, remembered on the request: the idempotency middleware and the endpoint share one query."""
    cached = getattr(request, "_agora_token", None)
    if cached is not None and cached[0] == raw:
        return cached[1]
    tok = find_token(raw)
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
        header = request.headers.get("Authorization", "")
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
        tok = request_token(request, token)
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
    scope: str, *, optional: bool = False, user_required: bool = True, allow_unconfirmed: bool = False
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
