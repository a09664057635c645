"""The home read checks its token in the same query as the reader's flags once this process has
found that token (agora/api/fastpath.py), and reuses the status JSON it already holds while
Redis still has it (agora/social/timeline_json.py). Every refusal of the ordinary token check holds
on the very next request, and nothing read for the token's former user is ever sent."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from oauth2_provider.models import AccessToken

from agora.accounts.models import User
from agora.api import auth
from agora.platform.actions import do_revoke_token
from agora.social.actions import do_create_status, do_edit_status, do_favourite, do_follow

HOME = "/api/v1/timelines/home"


@pytest.fixture(autouse=True)
def production_profile(timeline_redis):
    if connection.vendor != "postgresql":
        pytest.skip("the deferred token check runs on PostgreSQL only (the production profile)")


@pytest.fixture
def reader(active_user, api_client, make_token):
    """bob follows alice, who has posted; bob's client has read his home timeline once."""
    alice, bob = active_user("alice"), active_user("bob")
    do_follow(bob, alice)
    post = do_create_status(alice, "for bob's eyes", visibility="private")
    raw = make_token(bob)
    client = api_client(token=raw)
    first = client.get(HOME)
    assert first.status_code == 200 and [s["id"] for s in first.json()] == [str(post.id)]
    return bob, raw, client, post


def test_a_seen_token_costs_one_query_and_reads_the_same(reader, django_assert_num_queries):
    bob, raw, client, post = reader
    do_favourite(bob, post)
    assert client.get(HOME).status_code == 200  # the like changed the post's counts: cached anew
    # when bob reads again with the token this process has seen
    with django_assert_num_queries(1):
        deferred = client.get(HOME)
    # then the page is the one an ordinary check gives, his like included
    auth.token_users.clear()
    ordinary = client.get(HOME)
    assert deferred.status_code == ordinary.status_code == 200
    assert deferred.json() == ordinary.json()
    assert deferred.json()[0]["favourited"] is True


def assert_refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert b"for bob" not in response.content


def test_revoked_token_is_refused_on_the_next_read(reader):
    bob, raw, client, post = reader
    assert do_revoke_token(raw) is True
    assert_refused(client.get(HOME), 401, "invalid_token")


def test_token_expired_in_bulk_is_refused(reader):
    bob, raw, client, post = reader
    AccessToken.objects.filter(token=raw).update(expires=timezone.now() - timedelta(seconds=1))
    assert_refused(client.get(HOME), 401, "invalid_token")


def test_user_deactivated_in_bulk_is_refused(reader):
    bob, raw, client, post = reader
    User.objects.filter(pk=bob.pk).update(is_active=False)
    assert_refused(client.get(HOME), 401, "account_disabled")


def test_token_without_the_scope_is_refused(active_user, api_client, make_token):
    alice, bob = active_user("alice"), active_user("bob")
    do_follow(bob, alice)
    do_create_status(alice, "for bob's eyes", visibility="private")
    # a token this process has found through another endpoint, without read:statuses
    client = api_client(token=make_token(bob, "read:accounts"))
    assert client.get("/api/v1/accounts/verify_credentials").status_code == 200
    assert_refused(client.get(HOME), 403, "insufficient_scope")


def test_token_now_of_another_user_reads_that_users_timeline(reader, active_user):
    bob, raw, client, post = reader
    carol = active_user("carol")
    mine = do_create_status(carol, "carol's own")
    AccessToken.objects.filter(token=raw).update(user=carol)
    response = client.get(HOME)
    assert response.status_code == 200
    assert b"for bob" not in response.content
    assert [s["id"] for s in response.json()] == [str(mine.id)]


def test_returning_reader_is_rebuilt_and_marked_active(reader):
    bob, raw, client, post = reader
    away = timezone.now() - timedelta(days=60)
    User.objects.filter(pk=bob.pk).update(last_active_at=away)
    response = client.get(HOME)
    assert response.status_code == 200
    assert [s["id"] for s in response.json()] == [str(post.id)]
    bob.refresh_from_db()
    assert bob.last_active_at > away


def test_an_edit_shows_though_this_process_holds_the_old_json(reader):
    bob, raw, client, post = reader
    alice = post.author
    do_edit_status(alice, post, text="edited for bob")
    (status,) = client.get(HOME).json()
    assert "edited for bob" in status["content"]
