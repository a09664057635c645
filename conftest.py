"""Fixtures shared by every app's tests: users, OAuth tokens and an API client."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from agora.accounts.models import User

pytest_plugins = ["agora.web.testing"]  # browser / page / phone_page fixtures (Playwright)

_counter = itertools.count(1)
TEST_PASSWORD = "correct horse battery staple"
_HASH: dict[str, str] = {}


def _password_hash() -> str:
    # Hash once per run: argon2 is slow on purpose, and tests make many users.
    if "h" not in _HASH:
        _HASH["h"] = make_password(TEST_PASSWORD)
    return _HASH["h"]


@pytest.fixture(params=[True, False], ids=["fast", "orm"])
def both_paths(request, settings) -> bool:
    """Run a test over the fast paths and over their plain-ORM twins (AGORA_FAST_PATHS)."""
    settings.AGORA = replace(settings.AGORA, fast_paths=request.param)
    return request.param


@pytest.fixture(scope="session", autouse=True)
def _private_counters(tmp_path_factory):
    """The embedded profile counts rate limits in a file beside its database (var/): a test run
    counts in a file of its own, so it neither sees nor clears a running site's counts, nor those
    of another test process."""
    from django.conf import settings
    from django.test import override_settings

    if "counters" not in settings.CACHES:  # production profile: Redis, a test database of its own
        yield
        return
    path = tmp_path_factory.mktemp("counters") / "counters.sqlite3"
    with override_settings(
        CACHES={**settings.CACHES, "counters": {**settings.CACHES["counters"], "LOCATION": str(path)}}
    ):
        yield


@pytest.fixture(autouse=True)
def _no_embedded_outbox_sweep():
    """The embedded profile's outbox sweep runs at most once a minute from whichever commit comes
    (agora/core/outbox.py): held off here so it never adds queries to a test that counts them; the
    outbox tests run the sweep themselves."""
    import time

    from agora.core import outbox

    outbox._last_sweep["at"] = time.monotonic()
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    from agora.core.ratelimit import forget_leases
    from agora.core.sqlitecache import counters

    cache.clear()
    counters().clear()
    forget_leases()
    yield


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    def make(username: str | None = None, **fields) -> User:
        n = next(_counter)
        username = username or f"user{n}"
        fields.setdefault("email", f"{username.lower()}@example.com")
        fields.setdefault("display_name", username.title())
        return User.objects.create(username=username, password=_password_hash(), **fields)

    return make


@pytest.fixture
def make_token(db) -> Callable[..., str]:
    def make(user: User | None, scope: str = "read write follow push") -> str:
        app = Application.objects.create(
            name=f"test app {next(_counter)}",
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris="urn:ietf:wg:oauth:2.0:oob",
        )
        raw = f"tok-{next(_counter)}-{timezone.now().timestamp()}"
        AccessToken.objects.create(
            user=user, application=app, token=raw, scope=scope, expires=timezone.now() + timedelta(days=1)
        )
        return raw

    return make


class ApiClient(Client):
    """A test client that sends a bearer token and JSON bodies."""

    def __init__(self, token: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.token = token

    def _headers(self, extra: dict) -> dict:
        headers = dict(extra.pop("headers", None) or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return headers

    def get(self, path, data=None, **extra):  # type: ignore[override]
        return super().get(path, data, headers=self._headers(extra), **extra)

    def post(self, path, data=None, content_type="application/json", **extra):  # type: ignore[override]
        return super().post(path, data, content_type=content_type, headers=self._headers(extra), **extra)

    def put(self, path, data=None, content_type="application/json", **extra):  # type: ignore[override]
        return super().put(path, data, content_type=content_type, headers=self._headers(extra), **extra)

    def patch(self, path, data=None, content_type="application/json", **extra):  # type: ignore[override]
        return super().patch(path, data, content_type=content_type, headers=self._headers(extra), **extra)

    def delete(self, path, data=None, content_type="application/json", **extra):  # type: ignore[override]
        return super().delete(path, data, content_type=content_type, headers=self._headers(extra), **extra)


@pytest.fixture
def api_client(make_user, make_token) -> Callable[..., ApiClient]:
    """api_client(user, scope=...) -> a client acting as `user` with a token of that scope."""

    def make(user: User | None = None, scope: str = "read write follow push", token: str | None = None):
        if token is None and user is not None:
            token = make_token(user, scope)
        return ApiClient(token)

    return make
