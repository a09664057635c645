"""The two endpoints that check their bearer token inside their own first query (ADR 0004): the
home timeline and checkout. A token this process has found before names the user to read for; the
endpoint's first PostgreSQL read then checks the token in the same round trip (the reader's flags;
the buyer's address and the variants). Nothing read for the user leaves, and nothing is written,
before the check passes; a token that now fails it, or belongs to someone else, is answered exactly
as by the ordinary check (agora/api/auth.py).

The domain functions take a plain User; this module is where a not-yet-checked token meets them,
through the fast paths' deferred entry points (agora/feeds/fastpath.py read,
agora/orders/fastpath.py place_orders_deferred). With AGORA_FAST_PATHS off, or on SQLite, these
endpoints check their token as every other does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest
from oauth2_provider.models import AccessToken

from agora.accounts.models import User
from agora.api.auth import TokenAuth, remember_user, request_token, token_users
from agora.core.errors import AgoraError
from agora.core.pagination import PageParams
from agora.core.sqlrows import Prepared, bigint_array
from agora.feeds import fastpath as feeds_fastpath
from agora.feeds.selectors import cut_page, home_timeline_page, touch_reader
from agora.orders import fastpath as orders_fastpath
from agora.orders.checkout import Placed, Wanted, place_orders
from agora.platform.fastpath import TokenQuery
from agora.platform.selectors import checksum_of
from agora.social.fastpath import flag_columns
from agora.social.models import VIEWER_FLAGS
from agora.social.timeline_json import entries, flag_ids, page_bytes, visible_ids

# What admit() and these endpoints use of the token and its user; the rest is deferred (each
# timestamp read costs a conversion in Python).
CHECKED_TOKEN_FIELDS = ["id", "user_id", "application_id", "token", "expires", "scope"]
CHECKED_USER_FIELDS = ["id", "username", "is_active", "email_confirmed"]
# The check run along checkout's read.
_ALONG = TokenQuery("agora_token_along", only=(CHECKED_TOKEN_FIELDS, CHECKED_USER_FIELDS))
# The check with the reader's flags: the home read's one PostgreSQL query (and what touch_reader
# needs of the user).
_TOKEN_AND_FLAGS = TokenQuery(
    "agora_token_home",
    flag_columns,
    only=(CHECKED_TOKEN_FIELDS, [*CHECKED_USER_FIELDS, "last_active_at"]),
)


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
        if admitted.user_id is not None:
            remember_user(self.checksum, admitted.user_id)
        return admitted, (result if admitted.user_id == self.user_id else None)


class DeferredTokenAuth(TokenAuth):
    """TokenAuth that leaves an `Unconfirmed` token in request.auth when it can be checked later."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if settings.AGORA.fast_paths and connection.vendor == "postgresql":
            checksum = checksum_of(token)
            user_id = token_users.get(checksum)
            if user_id is not None:
                request.user = AnonymousUser()  # until confirmed
                request.auth = pending = Unconfirmed(self, request, token, checksum, user_id)  # type: ignore[attr-defined]
                return pending
        return super().authenticate(request, token)


def deferred_token(scope: str) -> DeferredTokenAuth:
    return DeferredTokenAuth(scope)


def refusal(request: HttpRequest) -> AgoraError | None:
    """The token's own refusal, for an error raised before a deferred endpoint checked its token."""
    pending = getattr(request, "auth", None)
    return pending.refusal() if isinstance(pending, Unconfirmed) else None


def confirmed_user(request: HttpRequest) -> User:
    """The request's user, a deferred token checked now: for a deferred endpoint that must read
    something for its user before its own first query (checkout's source posts). The endpoint then
    goes on as with an ordinary check."""
    pending = getattr(request, "auth", None)
    if isinstance(pending, Unconfirmed):
        request.auth = pending.confirm()  # type: ignore[attr-defined]
    return request.user  # type: ignore[return-value]


# --- the home timeline ---------------------------------------------------------------------------
def home_timeline(request: HttpRequest, page: PageParams) -> tuple[bytes, list[int]]:
    """feeds.selectors.home_timeline_page for the request's reader, checked or not yet."""
    pending = request.auth  # type: ignore[attr-defined]
    if isinstance(pending, Unconfirmed):
        return _home_for(pending, page)
    return home_timeline_page(request.user, page)  # type: ignore[arg-type]


def _home_for(pending: Unconfirmed, page: PageParams) -> tuple[bytes, list[int]]:
    """Redis is read for the user the token last belonged to, then the token is checked in the
    query that reads the reader's flags. When the token is now someone else's, or the reader has
    been away (their timeline needs a rebuild), it starts again as home_timeline_page."""
    fast = feeds_fastpath.read(pending.user_id, page)
    if fast is None:
        return home_timeline_page(pending.confirm().user, page)
    found = entries(fast.ids, fast.tags)
    shown = cut_page(visible_ids(fast.ids, found, fast.rf), page)
    wanted = bigint_array(flag_ids(shown, found))
    tok, flags = pending.confirm_with(_TOKEN_AND_FLAGS, [wanted])
    was_inactive = touch_reader(tok.user)
    if flags is None or was_inactive:
        return home_timeline_page(tok.user, page, was_inactive=was_inactive)
    by_flag = {f: set(ids) for f, ids in zip(VIEWER_FLAGS, flags, strict=True)}
    return page_bytes(shown, found, tok.user_id, by_flag), shown


# --- checkout ------------------------------------------------------------------------------------
class _Buyer:
    """An Unconfirmed token as orders.fastpath's DeferredBuyer."""

    def __init__(self, pending: Unconfirmed) -> None:
        self.pending, self.user_id = pending, pending.user_id

    def confirm(self) -> User:
        return self.pending.confirm().user

    def confirm_along(self, statement: Prepared, params: Sequence[Any]) -> tuple[User, list[Any] | None]:
        tok, rows = self.pending.confirm_along(statement, params)
        return tok.user, rows


def checkout(
    request: HttpRequest,
    *,
    address_id: int,
    items: list[Wanted],
    from_cart: bool,
    idempotency_key: str | None,
) -> list[Placed]:
    """orders.checkout.place_orders for the request's buyer, checked or not yet."""
    pending = request.auth  # type: ignore[attr-defined]
    if isinstance(pending, Unconfirmed):
        return orders_fastpath.place_orders_deferred(
            _Buyer(pending),
            address_id=address_id,
            items=items,
            from_cart=from_cart,
            idempotency_key=idempotency_key,
        )
    return place_orders(
        request.user,  # type: ignore[arg-type]
        address_id=address_id,
        items=items,
        from_cart=from_cart,
        idempotency_key=idempotency_key,
    )
