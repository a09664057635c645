"""Reads of posts that are not timelines: threads, edit history, topic JSON."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from agora.accounts.serializers import absolute
from agora.media.models import MediaAttachment
from agora.media.serializers import media_json
from agora.social.access import load_statuses, visible_statuses
from agora.social.models import Status, StatusEdit, Tag
from agora.social.relations import reader_filter

MAX_ANCESTORS = 40
MAX_DEPTH = 20
MAX_DESCENDANTS = 400


def thread(viewer, status: Status) -> tuple[list[Status], list[Status]]:
    """(ancestors oldest first, descendants in reply order) that `viewer` may see."""
    rf = reader_filter(viewer)
    ancestors: list[Status] = []
    parent_id = status.in_reply_to_id
    while parent_id and len(ancestors) < MAX_ANCESTORS:
        parent = Status.objects.select_related("author").filter(id=parent_id).first()
        if parent is None:
            break
        ancestors.append(parent)
        parent_id = parent.in_reply_to_id
    ancestors.reverse()
    # Breadth-first by level: one query per level of depth, not per reply.
    children: dict[int, list[int]] = {}
    level = [status.id]
    total = 0
    for _ in range(MAX_DEPTH):
        rows = list(
            Status.objects.filter(in_reply_to_id__in=level).order_by("id").values_list("id", "in_reply_to_id")
        )
        if not rows:
            break
        level = []
        for sid, pid in rows:
            children.setdefault(pid, []).append(sid)
            level.append(sid)
        total += len(rows)
        if total >= MAX_DESCENDANTS:
            break
    ordered: list[int] = []

    def walk(sid: int) -> None:
        for child in children.get(sid, []):
            ordered.append(child)
            walk(child)

    walk(status.id)
    hidden = rf.hidden
    descendants = [
        s for s in visible_statuses(viewer, load_statuses(ordered), rf) if s.author_id not in hidden
    ]
    ancestors = visible_statuses(viewer, ancestors, rf)
    return ancestors, descendants


def history_json(status: Status) -> list[dict[str, Any]]:
    from agora.accounts.serializers import account_json

    account = account_json(status.author)
    edits = list(StatusEdit.objects.filter(status=status).order_by("id"))
    media_ids = {int(i) for e in edits for i in e.media_ids}
    media = {m.id: media_json(m) for m in MediaAttachment.objects.filter(id__in=media_ids)}
    if not edits:
        edits = [
            StatusEdit(
                status=status,
                text=status.text,
                content_html=status.content_html,
                spoiler_text=status.spoiler_text,
                sensitive=status.sensitive,
                media_ids=[],
                created_at=status.created_at,
            )
        ]
    return [
        {
            "content": e.content_html,
            "spoiler_text": e.spoiler_text,
            "sensitive": e.sensitive,
            "created_at": e.created_at.isoformat().replace("+00:00", "Z"),
            "account": account,
            "poll": None,
            "media_attachments": [media[int(i)] for i in e.media_ids if int(i) in media],
            "emojis": [],
        }
        for e in edits
    ]


def tag_json(tag: Tag, *, following: bool | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(tag.id),
        "name": tag.name,
        "url": absolute("/tags/" + quote(tag.name.lower(), safe="")),
        "history": [],
    }
    if following is not None:
        out["following"] = following
    return out
