"""Reads of boards: a user's boards as a viewer sees them, a board's pins (posts the viewer may not see
left out), the viewer's Wishlist. Products are read through catalog's selectors, posts through
social's access, so the audience rules live in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Min, QuerySet
from django.utils.translation import gettext_lazy as _

from agora.boards.models import Board, BoardFollow, Pin
from agora.catalog.selectors import listed_products, with_covers
from agora.core.pagination import PageParams, paginate_queryset
from agora.media.models import MediaAttachment
from agora.media.selectors import media_map
from agora.social.access import load_statuses, visible_statuses
from agora.social.models import StatusMedia

WISHLIST_NAME = _("Wishlist")


def _uid(user) -> int | None:
    return user.id if user is not None and user.is_authenticated else None


def boards_of(owner_id: int | None, viewer) -> QuerySet[Board]:
    """The owner's boards the viewer may see (private ones only for the owner), newest first."""
    qs = Board.objects.filter(owner_id=owner_id).select_related("owner")
    if owner_id != _uid(viewer):
        qs = qs.filter(is_private=False)
    return qs.order_by("-id")


def wishlist_of(user) -> Board:
    """The user's Wishlist board, made (private) on first use."""
    board = Board.objects.filter(owner_id=user.id, is_wishlist=True).first()
    if board is not None:
        return board
    try:
        with transaction.atomic():
            return Board.objects.create(
                owner=user, name=str(WISHLIST_NAME), is_private=True, is_wishlist=True
            )
    except IntegrityError:  # made by a concurrent request
        return Board.objects.get(owner_id=user.id, is_wishlist=True)


def own_boards(user) -> list[Board]:
    """The user's boards for a picker: the Wishlist first (made if missing), then newest first."""
    wishlist = wishlist_of(user)
    return [wishlist, *Board.objects.filter(owner_id=user.id, is_wishlist=False).order_by("-id")]


def follows_board(user, board: Board) -> bool:
    uid = _uid(user)
    return uid is not None and BoardFollow.objects.filter(board_id=board.id, user_id=uid).exists()


def pins_page(board: Board, page: PageParams) -> list[Pin]:
    """One page of a board's pins, newest first (before the viewer's filter: for the Link header)."""
    return paginate_queryset(Pin.objects.filter(board_id=board.id), page)


@dataclass
class PinView:
    """A pin as shown: its target read for the viewer, and the picture that stands for it."""

    pin: Pin
    product: Any = None
    status: Any = None
    picture: MediaAttachment | None = None

    @property
    def id(self) -> int:
        return self.pin.id


def shown_pins(viewer, pins: list[Pin]) -> list[PinView]:
    """The pins with their products, posts and pictures, in a fixed number of queries whatever their
    count; a pin of a post the viewer may not see, or of a delisted product, is left out."""
    product_ids = [p.product_id for p in pins if p.product_id]
    products: dict[int, Any] = {}
    if product_ids:
        products = {p.id: p for p in with_covers(list(listed_products().filter(id__in=product_ids)))}
    status_ids = list({p.status_id for p in pins if p.status_id})
    statuses = {s.id: s for s in visible_statuses(viewer, load_statuses(status_ids))} if status_ids else {}
    first_media: dict[int, MediaAttachment] = {}
    if statuses:
        for link in StatusMedia.objects.filter(status_id__in=list(statuses)).select_related("media"):
            if link.status_id not in first_media or link.position == 0:
                first_media[link.status_id] = link.media
    picked = media_map([[p.media_id for p in pins if p.media_id]])
    shown = []
    for pin in pins:
        if pin.product_id:
            product = products.get(pin.product_id)
            if product is not None:
                shown.append(PinView(pin, product=product, picture=product.cover))
        elif pin.status_id in statuses:
            picture = picked.get(pin.media_id) if pin.media_id else first_media.get(pin.status_id)
            shown.append(PinView(pin, status=statuses[pin.status_id], picture=picture))
    return shown


def covers(viewer, boards: list[Board]) -> dict[int, MediaAttachment | None]:
    """Each board's cover picture: its cover pin's, else its first pin's, in a fixed number of queries."""
    if not boards:
        return {}
    first = dict(
        Pin.objects.filter(board_id__in=[b.id for b in boards])
        .values("board_id")
        .annotate(first=Min("id"))
        .values_list("board_id", "first")
    )
    wanted = {b.id: b.cover_pin_id or first.get(b.id) for b in boards}
    pins = list(Pin.objects.filter(id__in=[i for i in wanted.values() if i]))
    by_id = {v.pin.id: v.picture for v in shown_pins(viewer, pins)}
    return {board_id: by_id.get(pin_id) if pin_id else None for board_id, pin_id in wanted.items()}


def wishers_of(product_id: int) -> list[int]:
    """The ids of the people with the product on their Wishlist."""
    return list(
        Pin.objects.filter(product_id=product_id, board__is_wishlist=True).values_list(
            "board__owner_id", flat=True
        )
    )
