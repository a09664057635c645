"""Boards and pins as JSON (ids as strings)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from agora.boards.models import Board
from agora.boards.selectors import PinView
from agora.media.models import MediaAttachment


def _picture(m: MediaAttachment | None) -> str | None:
    return m.thumbnail.url if m is not None and m.thumbnail else None


def board_json(
    board: Board, cover: MediaAttachment | None = None, *, following: bool | None = None
) -> dict[str, Any]:
    return {
        "id": str(board.id),
        "account_id": str(board.owner_id),
        "name": board.name,
        "description": board.description,
        "private": board.is_private,
        "wishlist": board.is_wishlist,
        "cover": _picture(cover),
        "pins_count": board.pins_count,
        "followers_count": board.followers_count,
        "following": following,
        "created_at": board.created_at.isoformat().replace("+00:00", "Z"),
        "url": reverse("board", args=[board.id]),
    }


def pin_json(view: PinView) -> dict[str, Any]:
    pin = view.pin
    data: dict[str, Any] = {
        "id": str(pin.id),
        "board_id": str(pin.board_id),
        "kind": pin.kind,
        "note": pin.note,
        "picture": _picture(view.picture),
        "created_at": pin.created_at.isoformat().replace("+00:00", "Z"),
        "product": None,
        "status": None,
    }
    if view.product is not None:
        p = view.product
        data["product"] = {
            "id": str(p.id),
            "title": p.title,
            "price": str(p.min_price),
            "currency": p.currency,
            "shop": {"id": str(p.shop_id), "name": p.shop.name},
            "url": reverse("product", args=[p.id]),
        }
    if view.status is not None:
        s = view.status
        data["status"] = {
            "id": str(s.id),
            "account": {"id": str(s.author_id), "username": s.author.username},
            "content": s.content_html,
            "url": reverse("social:status", args=[s.author.username, s.id]),
        }
        if pin.media_id:
            data["media_id"] = str(pin.media_id)
    return data
