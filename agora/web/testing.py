"""Browser-test fixtures for every app: Playwright's sync API driving Debian's Chromium against
pytest-django's live_server. Registered from the root conftest.py (``pytest_plugins``).

Fixtures (see docs/status/web-accounts.md for examples):

- ``browser``       session-wide Chromium; skips when it is missing (fails instead when CI=true)
- ``new_context``   ``new_context(viewport=DESKTOP|PHONE, locale="en-US", user=None)`` -> a browser
                    context whose relative URLs go to the live server, logged in as ``user`` if given
- ``page``          a desktop page (1280x800) on the live server, anonymous
- ``phone_page``    a 390x844 touch page on the live server, anonymous
- ``login_as``      ``login_as(page_or_context, user)``: put a session cookie in, no password typed
- ``screenshot``    ``screenshot(page, "name")`` -> screenshots/name.png (full page; git-ignored)
- ``media_root``    uploads go to a temporary directory for the test (the pages above use it)

Tests that use any of these get the ``browser`` marker, so ``pytest -m "not browser"`` skips them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

# Playwright's sync API keeps an asyncio loop running in this thread; Django would then refuse ORM
# calls from tests ("You cannot call this from an async context"). Tests are not async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("AGORA_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent.parent / "screenshots"
BROWSER_FIXTURES = {"browser", "new_context", "page", "phone_page"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright (slow)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = (
            f"Chromium not found at {CHROMIUM}: `apt-get install -y chromium` (or set AGORA_TEST_CHROMIUM)."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to a per-test directory instead of var/media."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def _media_route(media_url: str, root: Path) -> Callable[[Any], None]:
    # live_server serves static files but not uploads; answer /media/ requests from MEDIA_ROOT.
    def handle(route: Any) -> None:
        relative = unquote(urlparse(route.request.url).path)[len(media_url) :]
        target = (root / relative).resolve()
        if target.is_file() and root.resolve() in target.parents:
            route.fulfill(path=str(target))
        else:
            route.fulfill(status=404, body="not found")

    return handle


@pytest.fixture
def login_as(live_server: Any) -> Callable[[Any, Any], None]:
    from django.conf import settings
    from django.test import Client

    def login(target: Any, user: Any) -> None:
        client = Client()
        client.force_login(user)
        context = getattr(target, "context", target)  # a Page or a BrowserContext
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return login


@pytest.fixture
def new_context(
    browser: Any,
    live_server: Any,
    transactional_db: None,
    media_root: Path,
    login_as: Callable[[Any, Any], None],
) -> Iterator[Callable[..., Any]]:
    from django.conf import settings

    contexts: list[Any] = []

    def make(
        *, viewport: dict[str, int] | None = None, locale: str = "en-US", user: Any = None, **options: Any
    ) -> Any:
        viewport = viewport or DESKTOP
        if viewport["width"] <= 480:
            options.setdefault("is_mobile", True)
            options.setdefault("has_touch", True)
        context = browser.new_context(base_url=live_server.url, viewport=viewport, locale=locale, **options)
        context.set_default_timeout(10_000)
        context.route(
            f"{live_server.url}{settings.MEDIA_URL}**", _media_route(settings.MEDIA_URL, media_root)
        )
        if user is not None:
            login_as(context, user)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., Any]) -> Any:
    return new_context().new_page()


@pytest.fixture
def phone_page(new_context: Callable[..., Any]) -> Any:
    return new_context(viewport=PHONE).new_page()


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    def take(page: Any, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
