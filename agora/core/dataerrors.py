"""A value the database refuses is bad input, not a server error.

PostgreSQL refuses NUL characters in text ("a\\u0000b" in a post, a tag, a profile, a shop name) and
numbers beyond a column's range; SQLite stores most of them, so tests on the embedded profile never
see it. Validating every text field of every app for NUL would be easy to forget in one place: the
driver's DataError is the one point every such write passes through.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DataError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


class DataErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, DataError):
            return None
        log.warning(
            "refused a value the database cannot store on %s %s: %s", request.method, request.path, exc
        )
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "error": "The request holds a value that cannot be stored "
                    "(e.g. a NUL character or a number out of range).",
                    "code": "invalid_value",
                },
                status=422,
            )
        if request.path.startswith(("/oauth/token", "/oauth/revoke")):
            # OAuth 2's own error shape (RFC 6749 5.2), as the other refusals of these endpoints.
            return JsonResponse(
                {
                    "error": "invalid_request",
                    "error_description": "The request holds a value that cannot be stored.",
                    "code": "invalid_value",
                },
                status=400,
            )
        return HttpResponseBadRequest(
            _("The form holds a value that cannot be stored (e.g. a NUL character). Remove it and try again.")
        )
