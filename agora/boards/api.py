from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Status
from pydantic import BaseModel, ConfigDict, Field

from agora.accounts.selectors import get_active_user
from agora.api.auth import token
from agora.api.contract import returns
from agora.api.request import AuthedRequest, MaybeAuthedRequest
from agora.boards.access import access_board, access_own_board, access_pin
from agora.boards.actions import (
    DESCRIPTION_MAX,
    NAME_MAX,
    do_create_board,
    do_delete_board,
    do_follow_board,
    do_pin,
    do_unfollow_board,
    do_unpin,
    do_update_board,
)
from agora.boards.models import NOTE_MAX
from agora.boards.schemas import BoardOut, PinOut
from agora.boards.selectors import boards_of, covers, follows_board, pins_page, shown_pins
from agora.boards.serializers import board_json, pin_json
from agora.core.pagination import PageParams, paginate_queryset, set_link_header
from agora.core.schema import EmptyOut, IdStr, Text, stripped_length

router = Router(tags=["boards"])

NAME = {
    "type": "string",
    "pattern": stripped_length(1, NAME_MAX),
    "description": f"1 to {NAME_MAX} characters",
}
DESCRIPTION = {"type": "string", "pattern": stripped_length(0, DESCRIPTION_MAX)}


def _document_board(schema: dict[str, Any]) -> None:
    # What check_board_fields (agora/boards/actions.py) accepts, for the document; it enforces it.
    props = schema["properties"]
    if "required" in schema:  # a new board
        props["name"], props["description"] = NAME, {**DESCRIPTION, "default": ""}
    else:  # a change: null leaves a field as it is
        props["name"] = {"anyOf": [NAME, {"type": "null"}]}
        props["description"] = {"anyOf": [DESCRIPTION, {"type": "null"}]}


def _document_pin(schema: dict[str, Any]) -> None:
    # Exactly one target (check_pin_target): the one given is not null.
    schema["oneOf"] = [
        {"required": [field], "properties": {field: {"not": {"type": "null"}}}}
        for field in ("product_id", "status_id", "media_id")
    ]


class BoardIn(BaseModel):
    model_config = ConfigDict(strict=True, json_schema_extra=_document_board)

    name: Text
    description: Text = ""
    private: bool = False


class BoardPatch(BaseModel):
    model_config = ConfigDict(strict=True, json_schema_extra=_document_board)

    name: Text | None = None
    description: Text | None = None
    private: bool | None = Field(None, description="Ignored for the Wishlist, which stays private")
    cover_pin_id: IdStr | None = Field(None, description="A pin of this board whose picture covers it")


class PinIn(BaseModel):
    model_config = ConfigDict(strict=True, json_schema_extra=_document_pin)

    product_id: IdStr | None = Field(None, description="A listed product")
    status_id: IdStr | None = Field(None, description="A post the caller may see")
    media_id: IdStr | None = Field(None, description="One picture of a post the caller may see")
    note: Text = Field("", json_schema_extra={"maxLength": NOTE_MAX})


READ = token("read:favourites", optional=True)
WRITE = token("write:favourites")


def _boards_json(request: AuthedRequest | MaybeAuthedRequest, boards: list) -> list[dict]:
    pictures = covers(request.user, boards)
    return [board_json(b, pictures.get(b.id)) for b in boards]


@router.get("/v1/boards", auth=token("read:favourites"), response=returns(list[BoardOut]))
def my_boards(request: AuthedRequest, response: HttpResponse, params: Query[PageParams]):
    rows = paginate_queryset(boards_of(request.user.pk, request.user), params)
    set_link_header(request, response, rows, limit=params.capped_limit)
    return _boards_json(request, rows)


@router.post("/v1/boards", auth=WRITE, response=returns({201: BoardOut}))
def create_board(request: AuthedRequest, body: BoardIn):
    board = do_create_board(
        request.user, name=body.name, description=body.description, is_private=body.private
    )
    return Status(201, board_json(board, following=False))


@router.get("/v1/boards/{board_id}", auth=READ, response=returns(BoardOut))
def get_board(request: MaybeAuthedRequest, board_id: IdStr):
    """404 for a private board of someone else, as for none."""
    board = access_board(request.user, board_id)
    return board_json(
        board, covers(request.user, [board]).get(board.id), following=follows_board(request.user, board)
    )


@router.patch("/v1/boards/{board_id}", auth=WRITE, response=returns(BoardOut, 409))
def update_board(request: AuthedRequest, board_id: IdStr, body: BoardPatch):
    """409 cover_not_a_pin for a cover that is not a pin of this board (now)."""
    board = access_own_board(request.user, board_id)
    board = do_update_board(
        request.user,
        board,
        name=body.name,
        description=body.description,
        is_private=body.private,
        cover_pin_id=body.cover_pin_id,
    )
    return board_json(board, covers(request.user, [board]).get(board.id), following=False)


@router.delete("/v1/boards/{board_id}", auth=WRITE, response=returns(EmptyOut))
def delete_board(request: AuthedRequest, board_id: IdStr):
    """403 wishlist_kept for the Wishlist."""
    board = access_own_board(request.user, board_id)
    do_delete_board(request.user, board)
    return {}


@router.get("/v1/boards/{board_id}/pins", auth=READ, response=returns(list[PinOut]))
def board_pins(
    request: MaybeAuthedRequest, response: HttpResponse, board_id: IdStr, params: Query[PageParams]
):
    board = access_board(request.user, board_id)
    rows = pins_page(board, params)
    set_link_header(request, response, rows, limit=params.capped_limit)
    return [pin_json(v) for v in shown_pins(request.user, rows)]


@router.post("/v1/boards/{board_id}/pins", auth=WRITE, response=returns({200: PinOut, 201: PinOut}))
def create_pin(request: AuthedRequest, board_id: IdStr, body: PinIn):
    """201 with a new pin; 200 with the existing one when the board already holds the target.
    409 target_not_found for a target that does not exist or the caller may not see; 409
    product_delisted for the caller's own delisted product."""
    board = access_own_board(request.user, board_id)
    pin, made = do_pin(
        request.user,
        board,
        product_id=body.product_id,
        status_id=body.status_id,
        media_id=body.media_id,
        note=body.note,
    )
    shown = shown_pins(request.user, [pin])
    return Status(201 if made else 200, pin_json(shown[0]))


@router.delete("/v1/boards/{board_id}/pins/{pin_id}", auth=WRITE, response=returns(EmptyOut))
def delete_pin(request: AuthedRequest, board_id: IdStr, pin_id: IdStr):
    board = access_own_board(request.user, board_id)
    pin = access_pin(request.user, board, pin_id)
    do_unpin(request.user, board, pin)
    return {}


@router.post("/v1/boards/{board_id}/follow", auth=WRITE, response=returns(BoardOut))
def follow_board(request: AuthedRequest, board_id: IdStr):
    """403 own_board for one's own board."""
    board = access_board(request.user, board_id)
    do_follow_board(request.user, board)
    board.refresh_from_db()
    return board_json(board, covers(request.user, [board]).get(board.id), following=True)


@router.post("/v1/boards/{board_id}/unfollow", auth=WRITE, response=returns(BoardOut))
def unfollow_board(request: AuthedRequest, board_id: IdStr):
    board = access_board(request.user, board_id)
    do_unfollow_board(request.user, board)
    board.refresh_from_db()
    return board_json(board, covers(request.user, [board]).get(board.id), following=False)


@router.get("/v1/accounts/{account_id}/boards", auth=READ, response=returns(list[BoardOut]))
def account_boards(
    request: MaybeAuthedRequest, response: HttpResponse, account_id: IdStr, params: Query[PageParams]
):
    """An account's public boards (its private ones too when it is the caller's)."""
    account = get_active_user(account_id)
    rows = paginate_queryset(boards_of(account.id, request.user), params)
    set_link_header(request, response, rows, limit=params.capped_limit)
    return _boards_json(request, rows)
