"""The Ninja API: one instance at /api/, routers from each domain app, one error shape."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, URLResolver
from django.urls.resolvers import RoutePattern
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from agora import __version__
from agora.core import idempotency
from agora.core.errors import AgoraError

log = logging.getLogger(__name__)

api = NinjaAPI(
    title="Agora API",
    version=__version__,
    description="Mastodon-compatible social API plus Agora's commerce API. See docs/api.md.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_response(request: HttpRequest, status: int, message: str, code: str, **extra) -> HttpResponse:
    return api.create_response(request, {"error": message, "code": code, **extra}, status=status)


def _token_refusal(request: HttpRequest) -> AgoraError | None:
    # An endpoint that checks its token late (auth.py, deferred) may stop on bad input first: a token
    # that fails its check is still the error to report, as on any other endpoint.
    return fastpath.refusal(request)


@api.exception_handler(AgoraError)
def _agora_error(request: HttpRequest, exc: AgoraError) -> HttpResponse:
    exc = _token_refusal(request) or exc
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    retry_after = exc.extra.get("retry_after")
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    refused = _token_refusal(request)
    if refused is not None:
        return _agora_error(request, refused)
    details = [
        {
            "field": ".".join(str(p) for p in err.get("loc", [])[1:]) or None,
            "message": err.get("msg"),
            "type": err.get("type"),
        }
        for err in exc.errors
    ]
    return error_response(request, 422, "The request is not valid.", "validation_failed", details=details)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "This endpoint needs a valid access token.", "unauthorized")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, str(exc), "http_error")


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, 404, "Record not found.", "not_found")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, 403, "You may not do this.", "forbidden")


def _idempotent(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """Idempotency-Key (agora/core/idempotency.py) for a POST or PATCH operation: a repeated key is
    answered here, after the operation's own token, scope and account checks, never instead of them.

    Ninja applies it to every operation; the others (most requests, the home timeline) get their view
    back unwrapped, so they pay nothing for it."""
    operation = getattr(view_func, "_ninja_operation", None)
    if operation is not None and not idempotency.METHODS.intersection(operation.methods):
        return view_func

    @functools.wraps(view_func)
    def checked_then_once(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if getattr(request, idempotency.PENDING_ATTR, None) is not None:
            tok = getattr(request, "auth", None)
            if isinstance(tok, fastpath.Unconfirmed):
                tok = tok.confirm()  # a deferred check (ADR 0004) is done now: a replay reads nothing later
            answer = idempotency.admit(request, tok)
            if answer is not None:
                return answer
        return view_func(request, *args, **kwargs)

    return checked_then_once


# "operation" mode: Ninja calls it with the parsed input, after the operation's authentication.
api.add_decorator(_idempotent, mode="operation")


def _register_routers() -> None:
    from agora.accounts.api import router as accounts_router
    from agora.api.instance import router as instance_router
    from agora.boards.api import router as boards_router
    from agora.cart.api import router as cart_router
    from agora.catalog.api import router as catalog_router
    from agora.feeds.api import router as feeds_router
    from agora.media.api import router as media_router
    from agora.notifications.api import router as notifications_router
    from agora.orders.api import router as orders_router
    from agora.payments.api import router as payments_router
    from agora.platform.api import router as platform_router
    from agora.reviews.api import router as reviews_router
    from agora.shops.api import router as shops_router
    from agora.social.api import router as social_router

    for router in (
        instance_router,
        platform_router,
        accounts_router,
        media_router,
        social_router,
        feeds_router,
        notifications_router,
        shops_router,
        catalog_router,
        cart_router,
        orders_router,
        payments_router,
        reviews_router,
        boards_router,
    ):
        api.add_router("", router)


_register_routers()

from agora.api import fastpath  # noqa: E402
from agora.api.auth import document_scopes  # noqa: E402
from agora.api.contract import document_requests, seal  # noqa: E402

seal(api)  # every operation's shared error statuses; results rendered without re-validation
document_scopes(api)
document_requests(api)


class _SlashTolerant(URLResolver):
    """The API's patterns, also answering a path with a trailing slash: Mastodon answers
    /api/v1/timelines/home/ as /api/v1/timelines/home, and clients (toot) send the slash. No route
    ends with one, so only a path that matched nothing looks again without it: the same endpoint, no
    redirect (which would lose a POST's body), and nothing more for paths without the slash."""

    def __init__(self, route: str, patterns: list[Any], app_name: str, namespace: str) -> None:
        super().__init__(
            RoutePattern(route, is_endpoint=False), patterns, app_name=app_name, namespace=namespace
        )
        self.route = route

    def resolve(self, path: Any) -> Any:
        try:
            return super().resolve(path)
        except Resolver404 as missed:
            path = str(path)
            trimmed = path[:-1]
            if not path.endswith("/") or trimmed.endswith("/") or not trimmed.startswith(self.route):
                raise
            try:
                return super().resolve(trimmed)
            except Resolver404:
                raise missed from None


def url_tree(route: str = "api/") -> URLResolver:
    """api.urls at `route`, tolerating a trailing slash (names and order kept: reverse() and the
    first-match rule are Django's)."""
    patterns, app_name, namespace = api.urls
    return _SlashTolerant(route, list(patterns), app_name, namespace)
