import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from agora.accounts.models import User
from agora.core.idempotency import purge_expired
from agora.core.models import IdempotencyRecord
from agora.platform.models import AppProfile
from agora.platform.tests.helpers import bearer, form_post, register_app


def app_token():
    app = register_app(Client(), scopes="read write")
    return form_post(
        Client(),
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "write:accounts",
        },
    ).json()["access_token"]


def sign_up(token, key, username="once"):
    return Client().post(
        "/api/v1/accounts",
        {
            "username": username,
            "email": f"{username}@example.com",
            "password": "a long Pa55word!",
            "agreement": True,
        },
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **bearer(token),
    )


def test_same_key_twice_does_the_work_once_and_replays_the_response(db):
    token = app_token()
    first = sign_up(token, "key-1")
    second = sign_up(token, "key-1")
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    assert User.objects.filter(username="once").count() == 1


def test_different_key_is_a_new_request(db):
    token = app_token()
    assert sign_up(token, "a").status_code == 200
    again = sign_up(token, "b")  # same handle, new key: the work runs and conflicts
    assert again.status_code == 409 and again.json()["code"] == "handle_taken"


def test_keys_are_per_caller(db):
    assert sign_up(app_token(), "shared", username="first").status_code == 200
    other = sign_up(app_token(), "shared", username="second")
    assert other.status_code == 200 and "Idempotent-Replayed" not in other
    assert User.objects.filter(username__in=["first", "second"]).count() == 2


def test_client_errors_are_replayed_but_conflicts_are_forgotten(db):
    token = app_token()
    bad = Client().post(
        "/api/v1/accounts",
        {"username": "x y"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
        **bearer(token),
    )
    assert bad.status_code == 422
    assert IdempotencyRecord.objects.get(key="k").status_code == 422
    sign_up(token, "first", username="taken")
    conflict = sign_up(token, "k2", username="taken")
    assert conflict.status_code == 409
    assert not IdempotencyRecord.objects.filter(key="k2").exists()


def test_in_flight_duplicate_gets_409(db, monkeypatch):
    # given a first request still running (record claimed, no response stored yet)
    token = app_token()
    app_id = AppProfile.objects.get().application_id
    IdempotencyRecord.objects.create(
        user_id=-app_id, application_id=app_id, key="busy", method_path="POST /api/v1/accounts"
    )
    monkeypatch.setattr("agora.core.idempotency.WAIT_SECONDS", 0.1)
    # when a duplicate arrives
    response = sign_up(token, "busy")
    # then it is told to wait, and nothing was done
    assert response.status_code == 409 and response.json()["code"] == "idempotency_in_progress"
    assert not User.objects.filter(username="once").exists()


def test_expired_records_are_ignored_and_purged(db):
    token = app_token()
    assert sign_up(token, "old", username="old1").status_code == 200
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    again = sign_up(token, "old", username="old2")
    assert again.status_code == 200 and "Idempotent-Replayed" not in again
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_expired() == 1


def test_key_length_is_checked(db):
    response = sign_up(app_token(), "k" * 201)
    assert response.status_code == 422 and response.json()["code"] == "invalid_idempotency_key"


def test_get_requests_and_anonymous_posts_are_untouched(db):
    Client().get("/api/v1/instance", HTTP_IDEMPOTENCY_KEY="g")
    Client().post(
        "/api/v1/apps",
        {"client_name": "A", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="g",
    )
    assert not IdempotencyRecord.objects.exists()


def test_concurrent_duplicates_do_the_work_once(transactional_db):
    """Two threads send the same key at once: one signs up, the other replays or is told to wait."""
    if connection.vendor == "sqlite":
        import pytest

        pytest.skip(
            "the in-memory test SQLite locks across threads: run with AGORA_DATABASE_URL=postgres://..."
        )
    token = app_token()
    results: list[int] = []

    def go():
        try:
            results.append(sign_up(token, "race").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert User.objects.filter(username="once").count() == 1
    assert all(code in (200, 409) for code in results) and 200 in results


def test_idempotent_post_looks_the_token_up_once(db, django_assert_num_queries):
    token = app_token()
    response = sign_up(token, "q1", username="q1")
    assert response.status_code == 200
    # a replay: token (once, shared with the endpoint), claim attempt (savepoint, failed insert,
    # rollback to and release the savepoint), read the stored response
    with django_assert_num_queries(6):
        assert sign_up(token, "q1", username="q1")["Idempotent-Replayed"] == "true"


def test_another_app_of_the_same_user_does_not_get_the_first_apps_response(make_user, api_client):
    # given a user who posted with one app and an Idempotency-Key (each api_client is its own app)
    user = make_user()
    first, second = api_client(user), api_client(user)
    posted = first.post("/api/v1/statuses", {"status": "hello"}, headers={"Idempotency-Key": "same"})
    assert posted.status_code == 200
    # when another app of the same user sends the same key to the same path
    again = second.post(
        "/api/v1/statuses", {"status": "hello from the other app"}, headers={"Idempotency-Key": "same"}
    )
    # then it is a request of its own, not a replay of the first app's response
    assert again.status_code == 200 and again.json()["id"] != posted.json()["id"]
    assert again.json()["content"] != posted.json()["content"]
    # while the first app's repeat is still replayed
    repeat = first.post("/api/v1/statuses", {"status": "hello"}, headers={"Idempotency-Key": "same"})
    assert repeat.json()["id"] == posted.json()["id"]


# --- a repeat passes the endpoint's own checks before anything stored is sent ---------------------
ADDRESS = {
    "recipient": "Li Lei",
    "phone": "13800000000",
    "province": "Zhejiang",
    "city": "Hangzhou",
    "street": "1 West Lake Rd",
}


def sibling_token(raw: str, scope: str) -> str:
    """Another token of the same user and the same app (a re-authorisation with other scopes)."""
    from oauth2_provider.models import AccessToken

    first = AccessToken.objects.get(token=raw)
    sibling = f"{raw}-sibling-{scope.replace(' ', '-')}"
    AccessToken.objects.create(
        user=first.user, application=first.application, token=sibling, scope=scope, expires=first.expires
    )
    return sibling


def add_address(client, key="addr-1"):
    return client.post("/api/v1/addresses", ADDRESS, headers={"Idempotency-Key": key})


@pytest.fixture
def first_address(make_user, make_token, api_client):
    # given a buyer who added an address with an Idempotency-Key (the response holds it in full)
    buyer = make_user()
    raw = make_token(buyer, "read:orders write:orders")
    posted = add_address(api_client(token=raw))
    assert posted.status_code == 201 and posted.json()["street"] == "1 West Lake Rd"
    return buyer, raw


def assert_refused_not_replayed(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert "Idempotent-Replayed" not in response and "West Lake" not in response.content.decode()


def test_a_read_only_sibling_token_gets_the_scope_error_not_the_stored_response(first_address, api_client):
    buyer, raw = first_address
    repeat = add_address(api_client(token=sibling_token(raw, "read read:orders")))
    assert_refused_not_replayed(repeat, 403, "insufficient_scope")


def test_a_revoked_token_gets_401_not_the_stored_response(first_address, api_client):
    from agora.platform.actions import do_revoke_token

    buyer, raw = first_address
    do_revoke_token(raw)
    assert_refused_not_replayed(add_address(api_client(token=raw)), 401, "invalid_token")


def test_a_disabled_account_gets_401_not_the_stored_response(first_address, api_client):
    buyer, raw = first_address
    User.objects.filter(id=buyer.id).update(is_active=False)
    assert_refused_not_replayed(add_address(api_client(token=raw)), 401, "account_disabled")


def test_an_app_only_token_where_a_user_is_needed_gets_403(first_address, api_client):
    from oauth2_provider.models import AccessToken

    buyer, raw = first_address
    first = AccessToken.objects.get(token=raw)
    AccessToken.objects.create(
        user=None, application=first.application, token="app-only", scope=first.scope, expires=first.expires
    )
    assert_refused_not_replayed(add_address(api_client(token="app-only")), 403, "user_token_required")


def test_another_users_token_with_the_same_key_gets_what_the_endpoint_gives_it(
    first_address, make_user, api_client
):
    from agora.orders.models import Address

    buyer, raw = first_address
    other = make_user()
    # a read-only token: the endpoint's own refusal
    refused = add_address(api_client(other, scope="read:orders"))
    assert_refused_not_replayed(refused, 403, "insufficient_scope")
    # a token allowed to write: its own request, run for its own account
    own = add_address(api_client(other, scope="write:orders"))
    assert own.status_code == 201 and "Idempotent-Replayed" not in own
    assert Address.objects.filter(user=other).count() == 1 and Address.objects.filter(user=buyer).count() == 1


def test_the_same_token_still_gets_the_replay(first_address, api_client):
    from agora.orders.models import Address

    buyer, raw = first_address
    repeat = add_address(api_client(token=raw))
    assert repeat.status_code == 201 and repeat["Idempotent-Replayed"] == "true"
    assert repeat.json()["street"] == "1 West Lake Rd" and Address.objects.filter(user=buyer).count() == 1


def test_a_request_refused_by_its_checks_leaves_no_record_to_replay(make_user, make_token, api_client):
    # given a first attempt with a token lacking the scope (refused before the endpoint ran)
    buyer = make_user()
    raw = make_token(buyer, "read:orders")
    assert add_address(api_client(token=raw), key="k").status_code == 403
    # then nothing is kept: the same app's token with the scope, same key, does the work
    assert not IdempotencyRecord.objects.exists()
    retry = add_address(api_client(token=sibling_token(raw, "write:orders")), key="k")
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry
