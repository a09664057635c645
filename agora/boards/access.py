"""Reads of boards that check who asks: a private board is missing for anyone but its owner."""

from __future__ import annotations

from agora.boards.models import Board, Pin
from agora.core.errors import NotFound


def _uid(user) -> int | None:
    return user.id if user is not None and user.is_authenticated else None


def access_board(user, board_id: int, *, lock: bool = False) -> Board:
    """A public board for anyone, a private one only for its owner (404 otherwise: never leak it)."""
    qs = Board.objects.select_related("owner")
    if lock:
        qs = Board.objects.select_for_update()
    board = qs.filter(id=board_id).first()
    if board is None or (board.is_private and board.owner_id != _uid(user)):
        raise NotFound("No such board.")
    return board


def access_own_board(user, board_id: int, *, lock: bool = False) -> Board:
    """One of the user's own boards; anyone else's (public or not) reads as missing to a writer."""
    board = access_board(user, board_id, lock=lock)
    if board.owner_id != _uid(user):
        raise NotFound("No such board.")
    return board


def access_pin(user, board: Board, pin_id: int) -> Pin:
    """A pin of a board the user may see (the board was checked by access_board)."""
    pin = Pin.objects.filter(id=pin_id, board_id=board.id).first()
    if pin is None:
        raise NotFound("No such pin.")
    return pin
