"""CORS for the API, as Mastodon serves it, so browser-based clients (Elk, Phanpy ...) work.

Any origin may call /api/, /oauth/token, /oauth/revoke and /.well-known/ *without credentials*:
the API is authorised by bearer tokens, never by cookies, and `Access-Control-Allow-Origin: *` makes
browsers refuse to attach cookies. Pages (/oauth/authorize, settings ...) get no CORS headers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CORS_PREFIXES = ("/api/", "/oauth/token", "/oauth/revoke", "/.well-known/")
EXPOSED = (
    "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, Retry-After, Idempotent-Replayed"
)
METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
MAX_AGE = "86400"


class CorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(CORS_PREFIXES):
            return self.get_response(request)
        preflight = request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META
        if preflight:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = METHODS
            response["Access-Control-Allow-Headers"] = request.META.get(
                "HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "Authorization, Content-Type, Idempotency-Key"
            )
            response["Access-Control-Max-Age"] = MAX_AGE
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED
        return response
