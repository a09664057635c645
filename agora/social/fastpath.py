"""The square's hot reads as fixed PostgreSQL statements, each the twin of an ORM selector with the
same signature and results (tests run both): a reader's flags on a page of statuses
(selectors.viewer_flags) and a reader's hidden accounts and celebrity followees
(relations.load_reader_lists). Prepared once per session (agora/core/sqlrows.py): planning was
about 85% of the flags query's server CPU. Used when AGORA_FAST_PATHS is on (the flags on
PostgreSQL only: they pass the ids as an array); docs/performance.md says what each is worth."""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from agora.accounts.models import User
from agora.core.sqlrows import Prepared, bigint_array
from agora.social.models import VIEWER_FLAGS, Block, Follow, Mute


def enabled(*, postgresql_only: bool = False) -> bool:
    return settings.AGORA.fast_paths and (connection.vendor == "postgresql" or not postgresql_only)


def _flag_select(flag: str, viewer: str, ids: str, *, labelled: bool = False) -> str:
    model, viewer_col, status_col = VIEWER_FLAGS[flag]
    label = f"'{flag}', " if labelled else ""
    # Only model metadata and flag names are formatted in; the viewer and ids are parameters.
    return (
        f"SELECT {label}{status_col} FROM {model._meta.db_table} "  # noqa: S608
        f"WHERE {viewer_col} = {viewer} AND {status_col} = ANY({ids}::bigint[])"
    )


def flag_columns(viewer_sql: str) -> str:
    """The reader's flags as array columns in VIEWER_FLAGS order, for a reader named by the SQL
    expression `viewer_sql`, with one parameter: the status ids as an array literal. It must be the
    query's first parameter (the later uses name it $1). The home read asks them in the query that
    checks its token (agora/api/fastpath.py)."""
    parts = [
        f"ARRAY({_flag_select(flag, viewer_sql, '%s' if i == 0 else '$1')})"
        for i, flag in enumerate(VIEWER_FLAGS)
    ]
    return ", ".join(parts)


# Its two parameters are used once per flag: $1 and $2 name them after the first use.
_FLAGS = Prepared(
    "agora_viewer_flags",
    " UNION ALL ".join(
        _flag_select(flag, "%s", "%s", labelled=True)
        if i == 0
        else _flag_select(flag, "$1", "$2", labelled=True)
        for i, flag in enumerate(VIEWER_FLAGS)
    ),
)


def viewer_flags(viewer_id: int, ids: list[int]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {f: set() for f in VIEWER_FLAGS}
    if not ids:
        return out
    # The ids go as one array literal: placeholders per id made psycopg re-parse a long query on
    # every call.
    for flag, sid in _FLAGS.fetch([viewer_id, bigint_array(ids)]):
        out[flag].add(sid)
    return out


# Blocks either way (0), mutes (1), followees over the fan-out threshold (2), in one statement.
_LISTS = Prepared(
    "agora_reader_lists",
    f"""SELECT 0, CASE WHEN account_id = %s THEN target_id ELSE account_id END
    FROM {Block._meta.db_table} WHERE account_id = %s OR target_id = %s
    UNION ALL SELECT 1, target_id FROM {Mute._meta.db_table} WHERE account_id = %s
    UNION ALL SELECT 2, f.followee_id FROM {Follow._meta.db_table} f
    JOIN {User._meta.db_table} u ON u.id = f.followee_id
    WHERE f.follower_id = %s AND u.followers_count > %s""",  # noqa: S608
)


def load_reader_lists(user_id: int) -> tuple[set[int], set[int], set[int]]:
    lists: tuple[set[int], set[int], set[int]] = (set(), set(), set())
    for kind, account_id in _LISTS.fetch([user_id] * 5 + [settings.AGORA.fanout_threshold]):
        lists[kind].add(account_id)
    return lists
