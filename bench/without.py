"""Switch off one piece of hot-path machinery in this process, to measure what it is worth
(docs/performance.md, "What each kept piece is worth"). Bench code only: the site has no such
switches beyond AGORA_FAST_PATHS.

    --without libpq      prepared statements and one-query writes through Django's cursor
    --without instance   saved instances through Model.from_db (Model.__init__)
    --without dispatch   the API's URL patterns tried one by one (Django's URLResolver)
    --without language   Django's own LocaleMiddleware
    --without fastpaths  AGORA_FAST_PATHS=0: every hot path on its plain-ORM twin

Call `apply(names)` after django.setup() and before the WSGI handler or test client is built.
"""

from __future__ import annotations

import os

PIECES = ("libpq", "instance", "dispatch", "language", "fastpaths")


def before_setup(names: list[str]) -> None:
    if "fastpaths" in names:
        os.environ["AGORA_FAST_PATHS"] = "0"


def apply(names: list[str]) -> None:
    from django.conf import settings

    if "libpq" in names:
        from agora.core import libpq

        libpq.run = lambda *a, **k: None  # type: ignore[assignment]
        libpq.execute = lambda *a, **k: None  # type: ignore[assignment]
    if "instance" in names:
        from agora.core import sqlrows

        sqlrows._plain.clear()
        sqlrows._is_plain = lambda model: False  # type: ignore[assignment]
    if "dispatch" in names:
        from django.urls import URLResolver

        from agora.api.api import _Dispatch

        def resolve(self, path):  # Django's resolver, then the trailing-slash retry
            try:
                return URLResolver.resolve(self, path)
            except Exception:
                path = str(path)
                if path.endswith("/") and len(path) > len(self.route):
                    return URLResolver.resolve(self, path[:-1])
                raise

        _Dispatch.resolve = resolve  # type: ignore[method-assign]
    if "language" in names:
        settings.MIDDLEWARE = [
            "django.middleware.locale.LocaleMiddleware" if m == "agora.core.language.LocaleMiddleware" else m
            for m in settings.MIDDLEWARE
        ]
