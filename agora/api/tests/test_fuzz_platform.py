"""Whatever JSON a client sends to the platform endpoints, the answer is a 2xx or a 4xx in our shape."""

from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agora.platform.tests.helpers import bearer

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=6,
)
APP_FIELDS = ["client_name", "redirect_uris", "scopes", "website"]
SIGN_UP_FIELDS = ["username", "email", "password", "agreement", "locale", "display_name"]
PROFILE_FIELDS = ["display_name", "note", "locked", "location", "website", "avatar"]


def bodies(fields):
    return st.dictionaries(st.sampled_from(fields), json_values, max_size=len(fields)) | json_values


def assert_clean(response):
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body.get("error"), str) and isinstance(body.get("code"), str), body


FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies(APP_FIELDS))
def test_register_app_never_500s(db, body):
    assert_clean(Client().post("/api/v1/apps", body, content_type="application/json"))


@FUZZ
@given(body=bodies(SIGN_UP_FIELDS))
def test_sign_up_never_500s(make_user, make_token, body):
    cache.clear()  # examples share one test: keep the per-IP sign-up limit out of the way
    token = make_token(None, "write:accounts")
    assert_clean(Client().post("/api/v1/accounts", body, content_type="application/json", **bearer(token)))


@FUZZ
@given(body=bodies(PROFILE_FIELDS))
def test_update_credentials_never_500s(make_user, make_token, body):
    token = make_token(make_user(), "write")
    assert_clean(
        Client().patch(
            "/api/v1/accounts/update_credentials", body, content_type="application/json", **bearer(token)
        )
    )


@FUZZ
@given(acct=st.text(max_size=60))
def test_lookup_never_500s(db, acct):
    assert_clean(Client().get("/api/v1/accounts/lookup", {"acct": acct}))


TOKEN_FIELDS = [
    "grant_type",
    "client_id",
    "client_secret",
    "code",
    "redirect_uri",
    "scope",
    "refresh_token",
    "code_verifier",
    "token",
]
grant_types = st.sampled_from(["authorization_code", "client_credentials", "refresh_token", "password", "x"])


@FUZZ
@given(
    body=st.dictionaries(st.sampled_from(TOKEN_FIELDS), json_values | grant_types, max_size=6),
    as_json=st.booleans(),
    path=st.sampled_from(["/oauth/token", "/oauth/revoke"]),
)
def test_oauth_endpoints_never_500(db, body, as_json, path):
    from urllib.parse import urlencode

    cache.clear()
    if as_json:
        response = Client().post(path, body, content_type="application/json")
    else:
        flat = {k: v if isinstance(v, str) else str(v) for k, v in body.items()}
        response = Client().post(path, urlencode(flat), content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert isinstance(response.json().get("error"), str)
