"""Web views call actions through `attempt`: an AgoraError becomes a message on the page, not a 500."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from agora.core.errors import AgoraError, Forbidden, NotFound

T = TypeVar("T")


def attempt(request: HttpRequest, action: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    try:
        return action(*args, **kwargs)
    except AgoraError as exc:
        messages.error(request, exc.message)
        return None


def page_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn NotFound/Forbidden raised by access_* into Django's 404/403 pages on web views."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapper
