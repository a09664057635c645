"""Timeline pages as JSON bytes, spliced from cached per-status JSON (the API's hot path).

Each status's JSON without the reader's flags is the same for everyone, so it is cached (Redis in
production) as a compact JSON string next to the ids the read filter needs. A page is then one MGET,
one flags query and string splicing: no model instances, no per-status dicts, no json.dumps.
Writes that change a status drop its entry on commit (serializers.forget_statuses); the TTL bounds
how stale embedded account fields (display name, counts) can get.

Splicing is safe because user text is JSON-escaped: a key pattern like `"favourited":false` can only
occur as a key, and the first occurrence is the outer status's (its flags precede "reblog"/"quote").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import NamedTuple

from agora.social import hotcache
from agora.social.relations import ReaderFilter
from agora.social.serializers import FLAGS, STATUS_JSON_TTL, _sj_key, _viewer_flags, statuses_json


class Entry(NamedTuple):
    author_id: int
    reblog_of_id: int | None
    quote_author_id: int | None
    json: str  # with "reblog":null; the reblogged status is spliced in from its own entry

    def encode(self) -> str:
        # Cached as "author|reblog of|quote author|json": cheaper to read back than a pickle.
        return f"{self.author_id}|{self.reblog_of_id or ''}|{self.quote_author_id or ''}|{self.json}"

    @classmethod
    def decode(cls, raw: str) -> Entry:
        author, reblog, quote_author, js = raw.split("|", 3)
        return cls(
            int(author), int(reblog) if reblog else None, int(quote_author) if quote_author else None, js
        )


def _dump(d: dict) -> str:
    return json.dumps(d, separators=(",", ":"), ensure_ascii=False)


def _entry(d: dict) -> Entry:
    return Entry(
        int(d["account"]["id"]),
        int(d["reblog"]["id"]) if d["reblog"] else None,
        int(d["quote"]["quoted_status"]["account"]["id"]) if d["quote"] else None,
        _dump({**d, "reblog": None}),
    )


def entries(ids: list[int]) -> dict[int, Entry]:
    """Cached entries for these statuses and the statuses they repost; deleted ones are absent."""
    from agora.social.access import load_statuses

    found: dict[int, Entry] = {}

    def fetch(wanted: list[int]) -> None:
        got = hotcache.get_strings([_sj_key(i) for i in wanted])
        for i in wanted:
            raw = got.get(_sj_key(i))
            if raw is not None:
                found[i] = Entry.decode(raw)
        missing = [i for i in wanted if i not in found]
        if missing:
            built = {}
            for d in statuses_json(load_statuses(missing), None):
                e = _entry(d)
                found[int(d["id"])] = e
                built[_sj_key(int(d["id"]))] = e.encode()
                if d["reblog"]:  # the reposted status is already serialised: cache it too
                    inner = _entry(d["reblog"])
                    found[int(d["reblog"]["id"])] = inner
                    built[_sj_key(int(d["reblog"]["id"]))] = inner.encode()
            hotcache.set_strings(built, STATUS_JSON_TTL)

    fetch(list(ids))
    inner = [e.reblog_of_id for e in found.values() if e.reblog_of_id and e.reblog_of_id not in found]
    if inner:
        fetch(inner)
    return found


def visible_ids(ids: list[int], found: dict[int, Entry], rf: ReaderFilter) -> list[int]:
    hidden, blocked = rf.hidden, rf.blocked
    out = []
    for i in ids:
        e = found.get(i)
        if e is None:
            continue  # deleted
        if e.author_id in hidden or e.quote_author_id in blocked:
            continue
        if e.reblog_of_id:
            inner = found.get(e.reblog_of_id)
            if inner is None or inner.author_id in hidden:
                continue
        out.append(i)
    return out


def page_bytes(ids: list[int], found: dict[int, Entry], viewer) -> bytes:
    """The JSON array for these (visible) ids with the reader's flags and the pinned rule applied."""
    viewer_id = viewer.id if viewer is not None and viewer.is_authenticated else None
    flags: dict[str, set[int]] = {f: set() for f in FLAGS}
    if viewer_id is not None:
        wanted = ids + [rb for i in ids if (rb := found[i].reblog_of_id)]
        flags = _viewer_flags(viewer_id, wanted)

    def personal(i: int) -> str:
        e = found[i]
        js = e.json
        for f in FLAGS:
            if i in flags[f]:
                js = js.replace(f'"{f}":false', f'"{f}":true', 1)
        if e.author_id != viewer_id:
            js = js.replace('"pinned":true', '"pinned":false', 1)
        return js

    parts = []
    for i in ids:
        js = personal(i)
        rb = found[i].reblog_of_id
        if rb:
            js = js.replace('"reblog":null', '"reblog":' + personal(rb), 1)
        parts.append(js)
    return ("[" + ",".join(parts) + "]").encode()


def timeline_page(
    ids: list[int], viewer, rf: ReaderFilter, cut: Callable[[list[int]], list[int]]
) -> tuple[bytes, list[int]]:
    found = entries(ids)
    shown = cut(visible_ids(ids, found, rf))
    return page_bytes(shown, found, viewer), shown
