"""Post text -> HTML. We build the HTML from escaped text ourselves; nh3 is only the last guard.

Recognised, left to right: links (http/https), @mentions, Weibo topics `#双十一购物节#` (between two
hashes, may hold spaces and any script) and `#tag` (letters, digits, underscore in any script).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

import nh3
from django.utils.html import escape

URL_RE = r"https?://[^\s<>\"'\u3000-\u303f\uff01-\uff5e]+"
MENTION_RE = r"(?<![\w@])@(?P<handle>[A-Za-z0-9_]{1,30})"
# A Weibo topic neither starts nor ends with a space, so "#a #b" is two hashtags, not a topic "a ".
WEIBO_TOPIC_RE = r"#(?P<topic>[^#\s](?:[^#\n]{0,98}[^#\s])?)#"
HASHTAG_RE = r"(?<![\w#&])#(?P<tag>\w{1,100})"
TOKEN_RE = re.compile(f"(?P<url>{URL_RE})|{MENTION_RE}|{WEIBO_TOPIC_RE}|{HASHTAG_RE}")
TRAILING_PUNCT = ".,;:!?)]}'\""

ALLOWED_TAGS = {"p", "br", "a", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href", "class", "rel", "target"}, "span": {"class"}}


def normalise_tag(name: str) -> str:
    return " ".join(name.split())[:100]


@dataclass
class Parsed:
    mentions: list[str] = field(default_factory=list)  # handles, in order, no duplicates (case-insensitive)
    tags: list[str] = field(default_factory=list)


def parse(text: str) -> Parsed:
    out = Parsed()
    seen_m: set[str] = set()
    seen_t: set[str] = set()
    for m in TOKEN_RE.finditer(text):
        if m.group("handle"):
            key = m.group("handle").lower()
            if key not in seen_m:
                seen_m.add(key)
                out.mentions.append(m.group("handle"))
        tag = m.group("topic") or m.group("tag")
        if tag:
            tag = normalise_tag(tag)
            if tag and tag.lower() not in seen_t:
                seen_t.add(tag.lower())
                out.tags.append(tag)
    return out


def _link(url: str) -> str:
    shown = re.sub(r"^https?://(www\.)?", "", url)
    if len(shown) > 40:
        shown = shown[:40] + "…"
    return f'<a href="{escape(url)}" rel="nofollow noopener noreferrer" target="_blank">{escape(shown)}</a>'


def _tag_link(name: str, shown: str) -> str:
    href = "/tags/" + quote(name.lower(), safe="")
    return f'<a href="{escape(href)}" class="mention hashtag" rel="tag">{escape(shown)}</a>'


def render(text: str, known_handles: Iterable[str] | Callable[[str], str | None] = ()) -> str:
    """HTML for a post. `known_handles` maps a written handle to the real one (or None: left as text)."""
    if callable(known_handles):
        resolve = known_handles
    else:
        known = {h.lower(): h for h in known_handles}

        def resolve(h: str) -> str | None:
            return known.get(h.lower())

    parts: list[str] = []
    pos = 0
    for m in TOKEN_RE.finditer(text):
        parts.append(escape(text[pos : m.start()]))
        pos = m.end()
        if m.group("url"):
            url = m.group("url")
            tail = ""
            while url and url[-1] in TRAILING_PUNCT:
                tail = url[-1] + tail
                url = url[:-1]
            parts.append(_link(url) + escape(tail))
        elif m.group("handle"):
            real = resolve(m.group("handle"))
            if real is None:
                parts.append(escape(m.group(0)))
            else:
                parts.append(
                    f'<span class="h-card"><a href="/@{escape(real)}" class="u-url mention">'
                    f"@{escape(m.group('handle'))}</a></span>"
                )
        elif m.group("topic"):
            name = normalise_tag(m.group("topic"))
            parts.append(_tag_link(name, f"#{name}#"))
        else:
            name = m.group("tag")
            parts.append(_tag_link(name, f"#{name}"))
    parts.append(escape(text[pos:]))
    body = "".join(parts)
    paragraphs = [p for p in re.split(r"\n{2,}", body.strip()) if p]
    html = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None, url_schemes={"http", "https"}
    )
