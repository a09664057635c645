"""The language of each request: Django's LocaleMiddleware without its URL-prefix work.

Agora's URLs carry no language prefix (no i18n_patterns), yet Django's middleware matches every
path against the language codes twice, on the way in and out, and looks for a prefixed page on
every 404: 38-49 us of CPU a request here against 9-24 (bench/platform/api_overhead.py). The
language still comes from the `django_language` cookie, then Accept-Language, then LANGUAGE_CODE,
and responses still say `Vary: Accept-Language` and `Content-Language`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.default = translation.get_supported_language_variant(settings.LANGUAGE_CODE)
        self.cookie = settings.LANGUAGE_COOKIE_NAME
        self.checked = False

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self.checked:  # here, not in __init__: the URLconf may import what is not ready then
            if is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]:
                raise ImproperlyConfigured("i18n_patterns need Django's own LocaleMiddleware")
            self.checked = True
        if self.cookie in request.COOKIES or "HTTP_ACCEPT_LANGUAGE" in request.META:
            language = translation.get_language_from_request(request)
        else:
            language = self.default  # what get_language_from_request finds, without its misses
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
