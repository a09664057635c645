"""JSON for the API's misses that Ninja never sees: unknown paths and wrong methods.

Django answers a URL that matches no route (including `/api/v1/statuses/abc`, which the `int`
converter refuses) with the site's HTML 404 page, and Ninja answers a method it has no operation
for with a text/html 405. API clients expect the one error shape everywhere under /api/.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

API_PREFIX = "/api/"
MESSAGES = {
    404: ("No such endpoint or record.", "not_found"),
    405: ("This endpoint does not accept this HTTP method.", "method_not_allowed"),
}


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path and request.path.startswith(API_PREFIX):
            # No resource is named with a NUL (PostgreSQL cannot even store one), and inner middleware
            # that records the path (Idempotency-Key) would fail in the driver: answer before them.
            message, code = MESSAGES[404]
            return JsonResponse({"error": message, "code": code}, status=404)
        response = self.get_response(request)
        if (
            response.status_code in MESSAGES
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            message, code = MESSAGES[response.status_code]
            shaped = JsonResponse({"error": message, "code": code}, status=response.status_code)
            # keep what inner middleware added (CORS, rate-limit headers, Allow, Vary)
            for header, value in response.items():
                if header.lower() not in ("content-type", "content-length"):
                    shaped[header] = value
            return shaped
        return response
