"""The bearer-token check is one raw SQL query per request: nothing is remembered between requests,
so revocation, expiry and deactivation take effect on the very next request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from agora.platform.actions import do_revoke_token
from agora.platform.selectors import checksum_of, find_token

VERIFY = "/api/v1/accounts/verify_credentials"
# Every test here runs over the token check's fast path and its ORM twin (AGORA_FAST_PATHS).
pytestmark = pytest.mark.usefixtures("both_paths")


def test_token_lookup_builds_the_token_and_its_user_in_one_query(
    make_user, make_token, django_assert_num_queries
):
    # Given a user's token
    alice = make_user("alice", display_name="Alice")
    raw = make_token(alice, "read write")
    # When it is looked up
    with django_assert_num_queries(1):
        tok = find_token(checksum_of(raw))
        # Then token and user come from the one query, with the ORM's types
        assert tok is not None
        assert tok.user.username == "alice" and tok.user.display_name == "Alice"
        assert tok.user.is_active is True
        assert tok.scope == "read write"
        assert tok.expires.tzinfo is not None
    assert tok.pk == AccessToken.objects.get(token=raw).pk
    assert tok.application.name.startswith("test app")  # loaded lazily, only when needed


def test_unknown_token_is_none(db):
    assert find_token(checksum_of("no-such-token")) is None


def test_app_only_token_has_no_user(make_token):
    tok = find_token(checksum_of(make_token(None, "read")))
    assert tok is not None and tok.user is None


def test_revoked_token_is_refused_on_the_next_request(make_user, make_token, api_client):
    # Given a token that has just been used successfully
    user = make_user()
    raw = make_token(user, "read")
    client = api_client(token=raw)
    assert client.get(VERIFY).status_code == 200
    # When it is revoked
    assert do_revoke_token(raw) is True
    # Then the very next request is refused
    response = client.get(VERIFY)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_deleted_token_is_refused(make_user, make_token, api_client):
    user = make_user()
    raw = make_token(user, "read")
    client = api_client(token=raw)
    assert client.get(VERIFY).status_code == 200
    AccessToken.objects.filter(token=raw).delete()
    assert client.get(VERIFY).status_code == 401


def test_expired_token_is_refused(make_user, make_token, api_client):
    user = make_user()
    raw = make_token(user, "read")
    client = api_client(token=raw)
    assert client.get(VERIFY).status_code == 200
    # Expiry changed behind the ORM's back (no signal): still refused at once.
    AccessToken.objects.filter(token=raw).update(expires=timezone.now() - timedelta(seconds=1))
    response = client.get(VERIFY)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_deactivated_user_is_refused_on_the_next_request(make_user, make_token, api_client):
    user = make_user()
    client = api_client(token=make_token(user, "read"))
    assert client.get(VERIFY).status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(VERIFY)
    assert response.status_code == 401
    assert response.json()["code"] == "account_disabled"


@pytest.mark.parametrize(("scope", "status"), [("read:accounts", 200), ("write", 403)])
def test_scope_is_still_enforced(make_user, make_token, api_client, scope, status):
    client = api_client(token=make_token(make_user(), scope))
    response = client.get(VERIFY)
    assert response.status_code == status
    if status == 403:
        assert response.json()["code"] == "insufficient_scope"


def test_fast_and_orm_lookups_build_the_same_token_and_user(make_user, make_token, settings):
    from dataclasses import replace

    from django.forms.models import model_to_dict

    alice = make_user("alice", display_name="Alice")
    checksum = checksum_of(make_token(alice, "read write"))
    settings.AGORA = replace(settings.AGORA, fast_paths=True)
    fast = find_token(checksum)
    settings.AGORA = replace(settings.AGORA, fast_paths=False)
    orm = find_token(checksum)
    assert fast is not None and orm is not None
    assert model_to_dict(fast) == model_to_dict(orm)
    assert model_to_dict(fast.user) == model_to_dict(orm.user)
