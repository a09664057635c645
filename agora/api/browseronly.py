"""The browser's middleware (session, log-in, messages, htmx), skipped for /api/.

The API authenticates with bearer tokens only (agora/api/auth.py): a browser session does not make
an API call anyone's, so an API read sent with the site's cookies is anonymous (Mastodon's rule
too). Skipping them also saves ~60 us of CPU per API request (bench/platform/api_overhead.py).
Each class here is Django's own, entered only for paths outside /api/.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware as _Message
from django.contrib.sessions.middleware import SessionMiddleware as _Session
from django.http import HttpRequest
from django_htmx.middleware import HtmxMiddleware as _Htmx

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class _BrowserOnly:
    get_response: Any

    def __call__(self, request: HttpRequest) -> Any:
        if is_api(request):
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[misc]


class SessionMiddleware(_BrowserOnly, _Session):
    pass


class AuthenticationMiddleware(_BrowserOnly, _Authentication):
    def __call__(self, request: HttpRequest) -> Any:
        if is_api(request):
            request.user = AnonymousUser()  # the endpoint's TokenAuth sets the token's user
        return super().__call__(request)


class MessageMiddleware(_BrowserOnly, _Message):
    pass


class HtmxMiddleware(_BrowserOnly, _Htmx):
    pass
