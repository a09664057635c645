"""The token check as one fixed statement, the twin of platform/selectors.py `find_token` (same
signature, same token and user; tests run both). Used when AGORA_FAST_PATHS is on. The API's endpoints that check their token inside their own first query
(agora/api/fastpath.py, ADR 0004) build on `TokenQuery`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.utils import timezone
from oauth2_provider.models import AccessToken

from agora.core.sqlrows import Prepared, instance


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
    return None if tok is None or tok.expires <= timezone.now() else tok


_PLAIN = TokenQuery("agora_token")


def find_token(checksum: str) -> AccessToken | None:
    return _PLAIN.run(checksum)
