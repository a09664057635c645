from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import BaseModel, Field

from agora.accounts.selectors import get_active_user
from agora.api.auth import token
from agora.boards.access import access_board, access_own_board, access_pin
from agora.boards.actions import (
    do_create_board,
    do_delete_board,
    do_follow_board,
    do_pin,
    do_unfollow_board,
    do_unpin,
    do_update_board,
)
from agora.boards.models import NOTE_MAX
from agora.boards.selectors import boards_of, covers, follows_board, pins_page, shown_pins
from agora.boards.serializers import board_json, pin_json
from agora.core.pagination import PageParams, paginate_queryset, set_link_header
from agora.core.schema import IdStr

router = Router(tags=["boards"])


class ErrorOut(BaseModel):
    error: str
    code: str


class ProductRef(BaseModel):
    id: str
    title: str
    price: str
    currency: str
    shop: dict[str, str]
    url: str


class StatusRef(BaseModel):
    id: str
    account: dict[str, str]
    content: str
    url: str


class BoardOut(BaseModel):
    id: str
    account_id: str
    name: str
    description: str
    private: bool
    wishlist: bool
    cover: str | None
    pins_count: int
    followers_count: int
    following: bool | None
    created_at: str
    url: str


class PinOut(BaseModel):
    id: str
    board_id: str
    kind: str
    note: str
    picture: str | None
    created_at: str
    product: ProductRef | None
    status: StatusRef | None
    media_id: str | None = None


class BoardIn(Schema):
    name: str = Field(max_length=200)
    description: str = Field("", max_length=2000)
    private: bool = False


class BoardPatch(Schema):
    name: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=2000)
    private: bool | None = None
    cover_pin_id: IdStr | None = None


class PinIn(Schema):
    product_id: IdStr | None = None
    status_id: IdStr | None = None
    media_id: IdStr | None = None
    note: str = Field("", max_length=NOTE_MAX * 2)


READ = token("read:favourites", optional=True)
WRITE = token("write:favourites")
ERRORS_READ = {404: ErrorOut}
ERRORS_WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _boards_json(request: HttpRequest, boards: list) -> list[dict]:
    pictures = covers(request.user, boards)
    return [board_json(b, pictures.get(b.id)) for b in boards]


@router.get("/v1/boards", auth=token("read:favourites"), response={200: list[BoardOut], **ERRORS_WRITE})
def my_boards(request: HttpRequest, response: HttpResponse, params: Query[PageParams]):
    rows = paginate_queryset(boards_of(request.user.pk, request.user), params)
    set_link_header(request, response, rows, limit=params.capped_limit)
    return _boards_json(request, rows)


@router.post("/v1/boards", auth=WRITE, response={201: BoardOut, **ERRORS_WRITE})
def create_board(request: HttpRequest, body: BoardIn):
    board = do_create_board(
        request.user,  # type: ignore[arg-type]
        name=body.name,
        description=body.description,
        is_private=body.private,
    )
    return Status(201, board_json(board, following=False))


@router.get("/v1/boards/{board_id}", auth=READ, response={200: BoardOut, **ERRORS_READ, 422: ErrorOut})
def get_board(request: HttpRequest, board_id: IdStr):
    board = access_board(request.user, board_id)
    return board_json(
        board, covers(request.user, [board]).get(board.id), following=follows_board(request.user, board)
    )


@router.patch("/v1/boards/{board_id}", auth=WRITE, response={200: BoardOut, **ERRORS_WRITE})
def update_board(request: HttpRequest, board_id: IdStr, body: BoardPatch):
    board = access_own_board(request.user, board_id)
    board = do_update_board(
        request.user,  # type: ignore[arg-type]
        board,
        name=body.name,
        description=body.description,
        is_private=body.private,
        cover_pin_id=body.cover_pin_id,
    )
    return board_json(board, covers(request.user, [board]).get(board.id), following=False)


@router.delete("/v1/boards/{board_id}", auth=WRITE, response={200: dict, **ERRORS_WRITE})
def delete_board(request: HttpRequest, board_id: IdStr):
    board = access_own_board(request.user, board_id)
    do_delete_board(request.user, board)  # type: ignore[arg-type]
    return {}


@router.get(
    "/v1/boards/{board_id}/pins", auth=READ, response={200: list[PinOut], **ERRORS_READ, 422: ErrorOut}
)
def board_pins(request: HttpRequest, response: HttpResponse, board_id: IdStr, params: Query[PageParams]):
    board = access_board(request.user, board_id)
    rows = pins_page(board, params)
    set_link_header(request, response, rows, limit=params.capped_limit)
    return [pin_json(v) for v in shown_pins(request.user, rows)]


@router.post("/v1/boards/{board_id}/pins", auth=WRITE, response={200: PinOut, 201: PinOut, **ERRORS_WRITE})
def create_pin(request: HttpRequest, board_id: IdStr, body: PinIn):
    board = access_own_board(request.user, board_id)
    pin, made = do_pin(
        request.user,  # type: ignore[arg-type]
        board,
        product_id=body.product_id,
        status_id=body.status_id,
        media_id=body.media_id,
        note=body.note,
    )
    shown = shown_pins(request.user, [pin])
    return Status(201 if made else 200, pin_json(shown[0]))


@router.delete("/v1/boards/{board_id}/pins/{pin_id}", auth=WRITE, response={200: dict, **ERRORS_WRITE})
def delete_pin(request: HttpRequest, board_id: IdStr, pin_id: IdStr):
    board = access_own_board(request.user, board_id)
    pin = access_pin(request.user, board, pin_id)
    do_unpin(request.user, board, pin)  # type: ignore[arg-type]
    return {}


@router.post("/v1/boards/{board_id}/follow", auth=WRITE, response={200: BoardOut, **ERRORS_WRITE})
def follow_board(request: HttpRequest, board_id: IdStr):
    board = access_board(request.user, board_id)
    do_follow_board(request.user, board)  # type: ignore[arg-type]
    board.refresh_from_db()
    return board_json(board, covers(request.user, [board]).get(board.id), following=True)


@router.post("/v1/boards/{board_id}/unfollow", auth=WRITE, response={200: BoardOut, **ERRORS_WRITE})
def unfollow_board(request: HttpRequest, board_id: IdStr):
    board = access_board(request.user, board_id)
    do_unfollow_board(request.user, board)  # type: ignore[arg-type]
    board.refresh_from_db()
    return board_json(board, covers(request.user, [board]).get(board.id), following=False)


@router.get(
    "/v1/accounts/{account_id}/boards",
    auth=READ,
    response={200: list[BoardOut], **ERRORS_READ, 422: ErrorOut},
)
def account_boards(
    request: HttpRequest, response: HttpResponse, account_id: IdStr, params: Query[PageParams]
):
    account = get_active_user(account_id)
    rows = paginate_queryset(boards_of(account.id, request.user), params)
    set_link_header(request, response, rows, limit=params.capped_limit)
    return _boards_json(request, rows)
