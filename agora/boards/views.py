from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agora.boards.access import access_board, access_own_board, access_pin
from agora.boards.actions import do_create_board, do_follow_board, do_pin, do_unfollow_board
from agora.boards.selectors import boards_of, covers, follows_board, own_boards, pins_page, shown_pins
from agora.core.errors import AgoraError
from agora.core.pagination import PageParams
from agora.core.schema import parse_id
from agora.web.errors import attempt, page_errors


@page_errors
def board_page(request: HttpRequest, board_id: int) -> HttpResponse:
    board = access_board(request.user, board_id)
    page = PageParams(max_id=parse_id(request.GET.get("max_id")), since_id=None, min_id=None, limit=40)
    rows = pins_page(board, page)
    mine = request.user.is_authenticated and board.owner_id == request.user.id
    context = {
        "board": board,
        "pins": shown_pins(request.user, rows),
        "next_max_id": rows[-1].id if len(rows) == page.capped_limit else None,
        "mine": mine,
        "following": follows_board(request.user, board),
        "targets": own_boards(request.user) if request.user.is_authenticated else [],
    }
    return render(request, "boards/board.html", context)


@page_errors
@login_required
def my_boards(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        board = attempt(
            request,
            do_create_board,
            request.user,
            name=request.POST.get("name", ""),
            description=request.POST.get("description", ""),
            is_private=bool(request.POST.get("private")),
        )
        if board is not None:
            return redirect("board", board.id)
    own_boards(request.user)  # the Wishlist exists from the first visit
    boards = list(boards_of(request.user.pk, request.user))
    return render(
        request, "boards/my_boards.html", {"boards": boards, "covers": covers(request.user, boards)}
    )


TARGETS = ("product_id", "status_id", "media_id")


def save_widget(request: HttpRequest) -> HttpResponse:
    """The Save control of a product, post or post picture (htmx, loaded by the page that shows it:
    `?product_id=`, `?status_id=` or `?media_id=`): GET renders the board picker, the Wishlist first;
    POST saves to the chosen board."""
    data = request.POST if request.method == "POST" else request.GET
    target = {name: parse_id(data.get(name)) for name in TARGETS}
    given = {name: value for name, value in target.items() if value is not None}
    if not request.user.is_authenticated or len(given) != 1:
        return render(request, "boards/_save.html", {"target": given, "anonymous": True})
    context: dict = {"target": given, "boards": own_boards(request.user)}
    if request.method == "POST":
        try:
            board = access_own_board(request.user, parse_id(data.get("board_id")) or 0)
            _pin, made = do_pin(request.user, board, note=data.get("note", ""), **given)  # type: ignore[arg-type]
            context.update(saved_to=board, already=not made)
        except AgoraError as exc:
            context["error"] = exc.message
        if not request.htmx and "saved_to" in context:  # type: ignore[attr-defined]
            return redirect("board", context["saved_to"].id)  # a plain form post, without JavaScript
    return render(request, "boards/_save.html", context)


@page_errors
@login_required
@require_POST
def follow_toggle(request: HttpRequest, board_id: int) -> HttpResponse:
    board = access_board(request.user, board_id)
    if follows_board(request.user, board):
        do_unfollow_board(request.user, board)  # type: ignore[arg-type]
    else:
        attempt(request, do_follow_board, request.user, board)
    return redirect("board", board.id)


@page_errors
@login_required
@require_POST
def repin(request: HttpRequest, board_id: int, pin_id: int) -> HttpResponse:
    """Save a pin of a board the user may see to one of the user's own boards."""
    source = access_board(request.user, board_id)
    pin = access_pin(request.user, source, pin_id)
    target = access_own_board(request.user, parse_id(request.POST.get("board_id")) or 0)
    attempt(
        request,
        do_pin,
        request.user,
        target,
        product_id=pin.product_id,
        status_id=None if pin.media_id else pin.status_id,
        media_id=pin.media_id,
        note=pin.note,
    )
    return redirect("board", source.id)
