"""Timeline pages as JSON bytes, spliced from cached per-status JSON (the API's hot path).

Each status's JSON without the reader's flags is the same for everyone, so it is cached (Redis in
production) as a compact JSON string next to the ids the read filter needs. A page is then one MGET,
one flags query and string splicing: no model instances, no per-status dicts, no json.dumps.
Writes that change a status drop its entry on commit (serializers.forget_statuses); the TTL bounds
how stale embedded account fields (display name, counts) can get. An entry that shows products
(`agora_products`, `card`) lives AGORA_PRODUCT_CARD_TTL instead (60 s), which bounds the age of their
price, stock, rating and sales; a seller's change to a product drops the entries of the posts that
carry it at once (social.tasks.forget_product_posts, on catalog's PRODUCT_CHANGED).

Splicing is safe because user text is JSON-escaped: a key pattern like `"favourited":false` can only
occur as a key, and the first occurrence is the outer status's (its flags precede "reblog"/"quote").

Each cached entry starts with a random tag, new whenever it is written, and is written and dropped
together with a small key holding that tag and the id it reposts (`_tag_key`). The home read's
script returns those (agora/feeds/fastpath.py), so a process keeps the entries it has read
(`_local`) and reuses one while Redis still holds its tag: Redis stays the only source of truth (a
forgotten or expired entry has no tag, a rebuilt one a new tag), and a warm read needs no MGET.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Mapping
from typing import NamedTuple

from django.conf import settings

from agora.core import hotcache
from agora.social.access import load_statuses, screened_out
from agora.social.models import VIEWER_FLAGS
from agora.social.relations import ReaderFilter
from agora.social.selectors import viewer_flags
from agora.social.serializers import STATUS_JSON_TTL, _sj_key, _tag_key, statuses_json, tag_value


class Entry(NamedTuple):
    tag: str  # random, new on every write of the entry to the cache
    author_id: int
    reblog_of_id: int | None
    quote_author_id: int | None
    json: str  # with "reblog":null; the reblogged status is spliced in from its own entry

    def encode(self) -> str:
        # Cached as "tag|author|reblog of|quote author|json": cheaper to read back than a pickle.
        return (
            f"{self.tag}|{self.author_id}|{self.reblog_of_id or ''}|{self.quote_author_id or ''}|{self.json}"
        )

    @classmethod
    def decode(cls, raw: str) -> Entry:
        tag, author, reblog, quote_author, js = raw.split("|", 4)
        return cls(
            tag, int(author), int(reblog) if reblog else None, int(quote_author) if quote_author else None, js
        )


LOCAL_MAX = 20_000  # entries a process keeps (~2 kB each)
_local: dict[int, Entry] = {}
_local_lock = threading.Lock()


def _remember(found: Mapping[int, Entry]) -> None:
    if not found:
        return
    with _local_lock:  # readers only .get(), which needs no lock
        _local.update(found)
        if len(_local) > LOCAL_MAX:
            # Oldest first by first insertion (an entry written again keeps its place): cheap, and
            # an entry dropped too early costs one MGET.
            for stale in list(_local)[: LOCAL_MAX // 4]:
                del _local[stale]


def _dump(d: dict) -> str:
    return json.dumps(d, separators=(",", ":"), ensure_ascii=False)


def _carries_products(d: dict) -> bool:
    """Whether the JSON shows live product facts (its own products or a quoted post's), which bound
    its age by AGORA_PRODUCT_CARD_TTL rather than STATUS_JSON_TTL."""
    return bool(d["agora_products"] or (d["quote"] and d["quote"]["quoted_status"]["agora_products"]))


def _entry(d: dict) -> Entry:
    return Entry(
        os.urandom(6).hex(),
        int(d["account"]["id"]),
        int(d["reblog"]["id"]) if d["reblog"] else None,
        int(d["quote"]["quoted_status"]["account"]["id"]) if d["quote"] else None,
        _dump({**d, "reblog": None}),
    )


def entries(ids: list[int], tags: Mapping[int, str] | None = None) -> dict[int, Entry]:
    """Cached entries for these statuses and the statuses they repost; deleted ones are absent.

    `tags` (from the home read's script) holds the cache's tag of each id and of the statuses they
    repost, "" where the cache has no entry: entries this process holds with that tag are used as
    they are, absent ones are built without asking the cache again.
    """
    found: dict[int, Entry] = {}

    def fetch(wanted: list[int], *, cached: bool = True) -> None:
        got: dict[int, Entry] = {}
        if cached:
            raws = hotcache.get_strings([_sj_key(i) for i in wanted])
            for i in wanted:
                raw = raws.get(_sj_key(i))
                if raw is not None:
                    got[i] = Entry.decode(raw)
        missing = [i for i in wanted if i not in got]
        if missing:
            new: dict[int, Entry] = {}
            shoppable: set[int] = set()
            for d in statuses_json(load_statuses(missing), None):
                for one in (d, d["reblog"]):  # the reposted status is already serialised: cache it too
                    if one:
                        new[int(one["id"])] = _entry(one)
                        if _carries_products(one):
                            shoppable.add(int(one["id"]))
            built = {}
            short = {}
            for i, e in new.items():
                built[_sj_key(i)] = e.encode()
                built[_tag_key(i)] = tag_value(e.tag, e.reblog_of_id)
                if i in shoppable:
                    short[_sj_key(i)] = short[_tag_key(i)] = settings.AGORA.product_card_ttl
            hotcache.set_strings(built, STATUS_JSON_TTL, short)
            got.update(new)
        found.update(got)
        _remember(got)

    if tags is None:
        fetch(list(ids))
    else:
        stale: list[int] = []
        absent: list[int] = []
        for i, tag in tags.items():
            e = _local.get(i)
            if e is not None and e.tag == tag:
                found[i] = e
            else:
                (stale if tag else absent).append(i)
        if stale:
            fetch(stale)
        if absent:
            fetch(absent, cached=False)
    inner = [e.reblog_of_id for e in found.values() if e.reblog_of_id and e.reblog_of_id not in found]
    if inner:
        fetch(inner)
    return found


def visible_ids(ids: list[int], found: dict[int, Entry], rf: ReaderFilter) -> list[int]:
    """The ids the reader's filter lets through (access.screened_out), deleted ones left out."""
    out = []
    for i in ids:
        e = found.get(i)
        if e is None:
            continue  # deleted
        inner = found.get(e.reblog_of_id) if e.reblog_of_id else None
        if e.reblog_of_id and inner is None:
            continue  # the reposted status is deleted
        if not screened_out(rf, e.author_id, inner.author_id if inner else None, e.quote_author_id):
            out.append(i)
    return out


def flag_ids(ids: list[int], found: dict[int, Entry]) -> list[int]:
    """The statuses whose flags a page shows: its own and those they repost."""
    return ids + [rb for i in ids if (rb := found[i].reblog_of_id)]


def page_bytes(
    ids: list[int], found: dict[int, Entry], viewer_id: int | None, flags: dict[str, set[int]]
) -> bytes:
    """The JSON array for these (visible) ids with the reader's flags and the pinned rule applied."""

    def personal(i: int) -> str:
        e = found[i]
        js = e.json
        for f in VIEWER_FLAGS:
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
    ids: list[int],
    viewer,
    rf: ReaderFilter,
    cut: Callable[[list[int]], list[int]],
    tags: Mapping[int, str] | None = None,
) -> tuple[bytes, list[int]]:
    found = entries(ids, tags)
    shown = cut(visible_ids(ids, found, rf))
    viewer_id = viewer.id if viewer is not None and viewer.is_authenticated else None
    flags = viewer_flags(viewer_id, flag_ids(shown, found))
    return page_bytes(shown, found, viewer_id, flags), shown
