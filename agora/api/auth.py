"""Bearer-token authentication for the API, with the scope each endpoint declares.

    @router.get("/things", auth=token("read:statuses"))           # token required
    @router.get("/things", auth=token("read:statuses", optional=True))  # anonymous allowed

After it runs, `request.user` is the token's user (AnonymousUser for an app-only token or none)
and `request.auth` is the AccessToken (or None).

Two endpoints, the home timeline and checkout, check their token later in the same request
(ADR 0004): `token(..., deferred=True)` leaves an `Unconfirmed` token in `request.auth` when this
process has found that token before, and the endpoint checks it in the round trip of its own first
PostgreSQL read (the reader's flags; the buyer's address and the variants). Nothing read for the
user leaves, and nothing is written, before the check passes; a token that now fails it, or belongs
to someone else, is answered exactly as by an ordinary check.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from oauth2_provider.models import AccessToken

from agora.core import ratelimit
from agora.core.errors import AgoraError, Forbidden, RateLimited, Unauthorized
from agora.core.sqlrows import Prepared, instance
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

    def __init__(
        self,
        vendor: str,
        name: str = "agora_token",
        extra: Callable[[str], str] | None = None,
        only: tuple[list[str], list[str]] | None = None,
    ) -> None:
        user_model = AccessToken._meta.get_field("user").related_model
        self.token_fields = list(AccessToken._meta.concrete_fields)
        self.user_fields = list(user_model._meta.concrete_fields)  # type: ignore[union-attr]
        if only is not None:  # the others are deferred: read on first access, as with .only()
            self.token_fields = [f for f in self.token_fields if f.attname in only[0]]
            self.user_fields = [f for f in self.user_fields if f.attname in only[1]]
        self.user_model = user_model
        self.token_names = [f.attname for f in self.token_fields]
        self.user_names = [f.attname for f in self.user_fields]
        qn = connection.ops.quote_name
        t, u = qn(AccessToken._meta.db_table), qn(user_model._meta.db_table)  # type: ignore[union-attr]
        cols = [f"{t}.{qn(f.column)}" for f in self.token_fields] + [
            f"{u}.{qn(f.column)}" for f in self.user_fields
        ]
        if extra is not None:  # more columns computed for the token's user (their own parameters)
            cols.append(extra(f"{t}.{qn('user_id')}"))
        # Identifiers come from model metadata; the checksum is a query parameter.
        self.query = Prepared(
            name,
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

    def run(self, checksum: str, extra_params: Sequence[Any] = ()) -> AccessToken | None:
        """The token with its user; the extra columns' values, if any, in `tok.extra`."""
        rows = self.query.fetch([*extra_params, checksum])
        return self.token(rows[0] if rows else None)

    def run_along(
        self, checksum: str, statement: Prepared, params: Sequence[Any]
    ) -> tuple[AccessToken | None, list[Any]]:
        """The token with its user, and the rows of `statement` run in the same round trip."""
        found, rows = Prepared.fetch_together([(self.query, [checksum]), (statement, params)])
        return self.token(found[0] if found else None), rows

    def token(self, row: Any) -> AccessToken | None:
        if row is None:
            return None
        if self.converters:
            row = list(row)
            for i, convs in self.converters:
                for conv, col in convs:
                    row[i] = conv(row[i], col, connection)
        n, m = len(self.token_fields), len(self.token_fields) + len(self.user_fields)
        db = connection.alias
        tok = instance(AccessToken, db, self.token_names, row[:n])
        if tok.user_id is None:
            tok.user = None
        else:
            tok.user = instance(self.user_model, db, self.user_names, row[n:m])
        tok.extra = row[m:]
        return tok


class TokenQuery:
    """The token check, optionally with more columns for the token's user: `extra(user_id_sql)`
    returns their SQL, with its own %s parameters. `only` names the token's and the user's fields
    to read (attnames; the rest are deferred): each timestamp costs a Python conversion. Built per
    database vendor on first use."""

    def __init__(
        self,
        name: str,
        extra: Callable[[str], str] | None = None,
        only: tuple[list[str], list[str]] | None = None,
    ) -> None:
        self.name, self.extra, self.only = name, extra, only
        self._built: dict[str, _TokenQuery] = {}

    def _query(self) -> _TokenQuery:
        query = self._built.get(connection.vendor)
        if query is None:
            query = self._built[connection.vendor] = _TokenQuery(
                connection.vendor, self.name, self.extra, self.only
            )
        return query

    def run(self, checksum: str, extra_params: Sequence[Any] = ()) -> AccessToken | None:
        """The unexpired token with this checksum, or None."""
        return _unexpired(checksum, self._query().run(checksum, extra_params))

    def run_along(
        self, checksum: str, statement: Prepared, params: Sequence[Any]
    ) -> tuple[AccessToken | None, list[Any]]:
        """run(), with the rows of another prepared statement run in the same round trip (PostgreSQL)."""
        tok, rows = self._query().run_along(checksum, statement, params)
        return _unexpired(checksum, tok), rows


def _unexpired(checksum: str, tok: AccessToken | None) -> AccessToken | None:
    if tok is None or tok.expires <= timezone.now():
        return None
    if tok.user_id is not None:
        _remember_user(checksum, tok.user_id)
    return tok


_PLAIN = TokenQuery("agora_token")
# What admit() and the endpoints that check their token in their own query use of the token and its
# user; the rest is deferred (each timestamp read costs a conversion in Python).
CHECKED_TOKEN_FIELDS = ["id", "user_id", "application_id", "token", "expires", "scope"]
CHECKED_USER_FIELDS = ["id", "username", "is_active", "email_confirmed"]
# The check run along an endpoint's own read (checkout's).
_ALONG = TokenQuery("agora_token_along", only=(CHECKED_TOKEN_FIELDS, CHECKED_USER_FIELDS))

# checksum -> user id of the tokens this process has found: which user a deferred check starts
# reading for. Never trusted on its own: Unconfirmed.confirm checks the token itself.
_token_users: dict[str, int] = {}
_TOKEN_USERS_MAX = 100_000


def _remember_user(checksum: str, user_id: int) -> None:
    if _token_users.get(checksum) != user_id:
        if len(_token_users) >= _TOKEN_USERS_MAX:
            _token_users.clear()
        _token_users[checksum] = user_id


def checksum_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def find_token(raw: str) -> AccessToken | None:
    return _PLAIN.run(checksum_of(raw))


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
        deferred: bool = False,
    ) -> None:
        super().__init__()
        self.scope = scope
        self.optional = optional
        self.user_required = user_required
        self.deferred = deferred
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
        if self.deferred and connection.vendor == "postgresql":
            checksum = checksum_of(token)
            user_id = _token_users.get(checksum)
            if user_id is not None:
                request.user = AnonymousUser()  # until confirmed
                request.auth = pending = Unconfirmed(self, request, token, checksum, user_id)  # type: ignore[attr-defined]
                return pending
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


class Unconfirmed:
    """A bearer token not yet checked on this request, and the user it belonged to when this process
    last found it. Whoever holds one must confirm it before anything read for that user is sent or
    anything is written. Each confirm checks the token as TokenAuth does and raises the same errors;
    the variants that run the caller's own read with it return that read's result only while the
    token is still `user_id`'s (None otherwise: the caller starts again for the token's user)."""

    def __init__(self, auth: TokenAuth, request: HttpRequest, raw: str, checksum: str, user_id: int) -> None:
        self.auth, self.request, self.raw, self.checksum, self.user_id = auth, request, raw, checksum, user_id
        self.checked = False

    def confirm(self) -> AccessToken:
        self.checked = True
        return self.auth.admit(self.request, request_token(self.request, self.raw))

    def refusal(self) -> AgoraError | None:
        """For an error raised before the endpoint checked this token (bad input, say): the token's
        own refusal if it has one, which is the error to report, as on any other endpoint."""
        if self.checked:
            return None
        try:
            self.confirm()
        except AgoraError as refused:
            return refused
        return None

    def confirm_with(self, query: TokenQuery, extra_params: Sequence[Any]) -> tuple[AccessToken, Any]:
        """The check in `query`, whose extra columns are computed for the token's user."""
        tok = query.run(self.checksum, extra_params)
        return self._admit(tok, tok.extra if tok is not None else None)

    def confirm_along(
        self, statement: Prepared, params: Sequence[Any]
    ) -> tuple[AccessToken, list[Any] | None]:
        """The check in the same round trip as `statement`, which the caller built for user_id."""
        return self._admit(*_ALONG.run_along(self.checksum, statement, params))

    def _admit(self, tok: AccessToken | None, result: Any) -> tuple[AccessToken, Any]:
        self.checked = True
        self.request._agora_token = (self.raw, tok)  # type: ignore[attr-defined]
        admitted = self.auth.admit(self.request, tok)  # raises unless tok is a token
        return admitted, (result if admitted.user_id == self.user_id else None)


def token(
    scope: str,
    *,
    optional: bool = False,
    user_required: bool = True,
    allow_unconfirmed: bool = False,
    deferred: bool = False,
) -> TokenAuth:
    return TokenAuth(
        scope,
        optional=optional,
        user_required=user_required,
        allow_unconfirmed=allow_unconfirmed,
        deferred=deferred,
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
