"""Writes of boards: check first, then write in one transaction."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from agora.accounts.models import User
from agora.boards.models import NOTE_MAX, Board, BoardFollow, Pin
from agora.catalog.access import access_product
from agora.core.errors import Conflict, Forbidden, Invalid, NotFound
from agora.social.access import access_status
from agora.social.models import StatusMedia

NAME_MAX = 100
DESCRIPTION_MAX = 1000


def check_board_fields(name: str | None, description: str | None) -> None:
    if name is not None and not name.strip():
        raise Invalid("A board needs a name.", code="name_required")
    if name is not None and len(name.strip()) > NAME_MAX:
        raise Invalid(f"A board's name is at most {NAME_MAX} characters.", code="name_too_long")
    if description is not None and len(description.strip()) > DESCRIPTION_MAX:
        raise Invalid(f"A description is at most {DESCRIPTION_MAX} characters.", code="description_too_long")


def do_create_board(actor: User, *, name: str, description: str = "", is_private: bool = False) -> Board:
    check_board_fields(name, description)
    return Board.objects.create(
        owner=actor, name=name.strip(), description=description.strip(), is_private=is_private
    )


def do_update_board(
    actor: User,
    board: Board,
    *,
    name: str | None = None,
    description: str | None = None,
    is_private: bool | None = None,
    cover_pin_id: int | None = None,
) -> Board:
    check_board_fields(name, description)
    fields: list[str] = []
    if name is not None:
        board.name, fields = name.strip(), [*fields, "name"]
    if description is not None:
        board.description, fields = description.strip(), [*fields, "description"]
    if is_private is not None and not board.is_wishlist:  # the Wishlist stays private
        board.is_private, fields = is_private, [*fields, "is_private"]
    if cover_pin_id is not None:
        if not Pin.objects.filter(id=cover_pin_id, board_id=board.id).exists():
            raise Conflict("The cover must be a pin of this board.", code="cover_not_a_pin")
        board.cover_pin_id, fields = cover_pin_id, [*fields, "cover_pin"]
    if fields:
        board.save(update_fields=fields)
    return board


def do_delete_board(actor: User, board: Board) -> None:
    if board.is_wishlist:
        raise Forbidden("The Wishlist cannot be deleted.", code="wishlist_kept")
    board.delete()


def check_pin_target(
    actor: User, *, product_id: int | None, status_id: int | None, media_id: int | None, note: str
) -> dict[str, int | None]:
    """Exactly one target, which the actor may see and a product that is listed: the pin's fields."""
    given = [x for x in (product_id, status_id, media_id) if x is not None]
    if len(given) != 1:
        raise Invalid("Pin exactly one of a product, a post or a post's picture.", code="one_target")
    if len(note) > NOTE_MAX:
        raise Invalid(f"A note is at most {NOTE_MAX} characters.", code="note_too_long")
    try:
        if product_id is not None:
            product = access_product(actor, product_id)
            if not product.is_listed:
                raise Conflict("This product is delisted.", code="product_delisted")
            return {"product_id": product.id, "status_id": None, "media_id": None}
        if status_id is not None:
            status = access_status(actor, status_id)
            return {"product_id": None, "status_id": (status.reblog_of_id or status.id), "media_id": None}
        link = StatusMedia.objects.filter(media_id=media_id).only("status_id").first()
        if link is None:
            raise NotFound("No such picture.")
        status = access_status(actor, link.status_id)
        return {"product_id": None, "status_id": status.id, "media_id": media_id}
    except NotFound as missing:
        # Unknown, delisted or not visible: 409, not 404, which would say the board is missing.
        raise Conflict(f"Cannot pin this: {missing.message}", code="target_not_found") from None


def do_pin(
    actor: User,
    board: Board,
    *,
    product_id: int | None = None,
    status_id: int | None = None,
    media_id: int | None = None,
    note: str = "",
) -> tuple[Pin, bool]:
    """The pin (and whether it is new). Saving the same thing twice to a board is a no-op that returns
    the existing pin."""
    target = check_pin_target(actor, product_id=product_id, status_id=status_id, media_id=media_id, note=note)
    existing = Pin.objects.filter(board_id=board.id, **target).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            pin = Pin.objects.create(board=board, note=note.strip(), **target)
            Board.objects.filter(id=board.id).update(pins_count=F("pins_count") + 1)
    except IntegrityError:  # the same save, concurrently
        return Pin.objects.get(board_id=board.id, **target), False
    return pin, True


def do_unpin(actor: User, board: Board, pin: Pin) -> None:
    with transaction.atomic():
        if Pin.objects.filter(id=pin.id, board_id=board.id).delete()[0]:
            Board.objects.filter(id=board.id, pins_count__gt=0).update(pins_count=F("pins_count") - 1)


def check_follow_board(actor: User, board: Board) -> None:
    if board.owner_id == actor.id:
        raise Forbidden("You cannot follow your own board.", code="own_board")


def do_follow_board(actor: User, board: Board) -> None:
    check_follow_board(actor, board)
    try:
        with transaction.atomic():
            _, made = BoardFollow.objects.get_or_create(board=board, user=actor)
            if made:
                Board.objects.filter(id=board.id).update(followers_count=F("followers_count") + 1)
    except IntegrityError:
        pass


def do_unfollow_board(actor: User, board: Board) -> None:
    with transaction.atomic():
        if BoardFollow.objects.filter(board_id=board.id, user_id=actor.id).delete()[0]:
            Board.objects.filter(id=board.id, followers_count__gt=0).update(
                followers_count=F("followers_count") - 1
            )
