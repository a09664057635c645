"""Log-in by handle (any case) or email, log-out by POST, and throttling after repeated failures."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.accounts import throttle
from conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _log_in(client, username, password=TEST_PASSWORD, ip="10.0.0.1"):
    return client.post("/login", {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("identifier", ["alice", "ALICE", "@Alice", "alice@example.com", "Alice@Example.com"])
def test_log_in_by_handle_in_any_case_or_by_email(client, make_user, identifier):
    user = make_user("alice", email="alice@example.com")
    response = _log_in(client, identifier)
    assert response.status_code == 302
    assert client.get("/").context["user"] == user


def test_wrong_password_is_a_form_error(client, make_user):
    make_user("alice")
    response = _log_in(client, "alice", "wrong password")
    assert response.status_code == 200
    assert "don&#x27;t match" in response.content.decode()


def test_log_in_redirects_to_a_local_next(client, make_user):
    make_user("alice")
    response = client.post(
        "/login?next=/settings/profile",
        {"username": "alice", "password": TEST_PASSWORD, "next": "/settings/profile"},
    )
    assert response.url == "/settings/profile"


def test_log_out_needs_a_post(client, make_user):
    client.force_login(make_user())
    assert client.get("/logout").status_code == 405
    response = client.post("/logout")
    assert response.status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_repeated_failures_lock_the_account_for_that_ip(client, make_user, settings):
    # given a limit of 3 failures
    settings.AGORA = type(settings.AGORA)(
        **{**settings.AGORA.__dict__, "login_failure_limit": 3, "login_lock_seconds": 600}
    )
    make_user("alice", email="alice@example.com")
    for _ in range(3):
        _log_in(client, "alice", "wrong")
    # when the right password is then tried from the same IP, even by email
    response = _log_in(client, "alice@example.com")
    # then log-in is refused with a clear message and no session
    assert response.status_code == 200
    assert "Too many failed log-in attempts. Try again in 10 minutes" in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated
    # and another IP is not locked out
    other = Client()
    assert _log_in(other, "ALICE", ip="10.0.0.2").status_code == 302


def test_a_successful_log_in_clears_the_failures(client, make_user):
    make_user("alice")
    _log_in(client, "alice", "wrong")
    _log_in(client, "alice", "wrong")
    assert throttle.failures("alice", "10.0.0.1") == 2
    assert _log_in(client, "alice").status_code == 302
    assert throttle.failures("alice", "10.0.0.1") == 0


def test_lock_message_is_translated(client, make_user, settings):
    settings.AGORA = type(settings.AGORA)(**{**settings.AGORA.__dict__, "login_failure_limit": 1})
    make_user("alice")
    _log_in(client, "alice", "wrong")
    response = client.post(
        "/login",
        {"username": "alice", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        headers={"accept-language": "zh-CN"},
    )
    assert "登录失败次数过多" in response.content.decode()


def test_unknown_accounts_are_throttled_too(client, settings):
    settings.AGORA = type(settings.AGORA)(**{**settings.AGORA.__dict__, "login_failure_limit": 2})
    for _ in range(3):
        response = _log_in(client, "nobody", "guess")
    assert "Too many failed log-in attempts" in response.content.decode()


def test_sign_ups_per_ip_are_limited(client, monkeypatch):
    monkeypatch.setattr(throttle, "SIGNUPS_PER_IP", (2, 3600))
    for i in range(2):
        Client().post(
            "/signup",
            {
                "username": f"u{i}",
                "email": f"u{i}@example.com",
                "password1": "a-long enough passphrase",
                "password2": "a-long enough passphrase",
            },
        )
    response = client.post(
        "/signup",
        {
            "username": "u3",
            "email": "u3@example.com",
            "password1": "a-long enough passphrase",
            "password2": "a-long enough passphrase",
        },
    )
    assert response.status_code == 429
    assert "Too many accounts were created from your network" in response.content.decode()


def test_password_reset_requests_per_ip_are_limited(client, monkeypatch, make_user):
    from django.core import mail

    monkeypatch.setattr(throttle, "PASSWORD_RESETS_PER_IP", (2, 3600))
    make_user("alice", email="alice@example.com")
    for _ in range(2):
        assert client.post("/password-reset/", {"email": "alice@example.com"}).status_code == 302
    response = client.post("/password-reset/", {"email": "alice@example.com"})
    assert response.status_code == 429
    assert len(mail.outbox) == 2
