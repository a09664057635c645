"""Switch off one piece of hot-path machinery in this process, to measure what it is worth
(docs/performance.md, "What each kept piece is worth"). Bench code only: the site has no such
switches beyond AGORA_FAST_PATHS.

    --without libpq      prepared statements and one-query writes through Django's cursor
    --without instance   saved instances through Model.from_db (Model.__init__)
    --without fastpaths  AGORA_FAST_PATHS=0: every hot path on its plain-ORM twin

Call `apply(names)` after django.setup() and before the WSGI handler or test client is built.
"""

from __future__ import annotations

import os

PIECES = ("libpq", "instance", "fastpaths")


def before_setup(names: list[str]) -> None:
    if "fastpaths" in names:
        os.environ["AGORA_FAST_PATHS"] = "0"


def apply(names: list[str]) -> None:
    if "libpq" in names:
        from agora.core import libpq

        libpq.run = lambda *a, **k: None  # type: ignore[assignment]
        libpq.execute = lambda *a, **k: None  # type: ignore[assignment]
    if "instance" in names:
        from agora.core import sqlrows

        sqlrows._plain.clear()
        sqlrows._is_plain = lambda model: False  # type: ignore[assignment]
