"""Sign-up form: validation errors are shown on the form (never a 500) and a good sign-up logs in."""

from __future__ import annotations

import pytest

from agora.accounts.models import User

pytestmark = pytest.mark.django_db
GOOD = "a-long enough passphrase 42"


def _sign_up(client, **overrides):
    data = {
        "username": "alice",
        "display_name": "Alice",
        "email": "alice@example.com",
        "password1": GOOD,
        "password2": GOOD,
        **overrides,
    }
    return client.post("/signup", data)


def test_good_sign_up_creates_the_account_and_logs_in(client):
    # when a visitor signs up with good data
    response = _sign_up(client, display_name="爱丽丝")
    # then they land on the home page logged in, and the account exists with a hashed password
    assert response.status_code == 302 and response.url == "/"
    user = User.objects.get(username="alice")
    assert user.display_name == "爱丽丝"
    assert user.check_password(GOOD) and user.password != GOOD
    assert client.get("/").context["user"] == user


@pytest.mark.parametrize("handle", ["bad handle", "a" * 31, "no-dash", "", "中文"])
def test_bad_handle_is_a_form_error(client, handle):
    response = _sign_up(client, username=handle)
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not User.objects.exists()


def test_reserved_handle_is_refused(client):
    response = _sign_up(client, username="Admin")
    assert "That handle is reserved." in response.context["form"].errors["username"]


def test_taken_handle_is_refused_whatever_its_case(client, make_user):
    # given @alice exists
    make_user("alice")
    # when someone signs up as ALICE
    response = _sign_up(client, username="ALICE", email="other@example.com")
    # then the form says the handle is taken and no second account appears
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["That handle is taken."]
    assert User.objects.filter(username__iexact="alice").count() == 1


def test_taken_email_is_refused(client, make_user):
    make_user("bob", email="alice@example.com")
    response = _sign_up(client, email="ALICE@example.com")
    assert response.context["form"].errors["email"] == ["An account with that email already exists."]


@pytest.mark.parametrize("password", ["password", "12345678", "short1", "alice1234"])
def test_weak_password_is_refused(client, password):
    response = _sign_up(client, password1=password, password2=password)
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.exists()


def test_passwords_must_match(client):
    response = _sign_up(client, password2=GOOD + "x")
    assert response.context["form"].errors["password2"] == ["The two passwords don't match."]
    assert not User.objects.exists()


def test_errors_are_shown_in_chinese_to_chinese_browsers(client, make_user):
    make_user("alice")
    response = client.post(
        "/signup",
        {"username": "alice", "email": "a2@example.com", "password1": GOOD, "password2": GOOD},
        headers={"accept-language": "zh-CN,zh;q=0.9"},
    )
    assert "该用户名已被占用。" in response.content.decode()


def test_signed_in_user_is_sent_home(client, make_user):
    client.force_login(make_user())
    assert client.get("/signup").url == "/"


def test_next_must_be_on_this_site(client):
    response = client.post(
        "/signup?next=https://evil.example/",
        {
            "username": "alice",
            "email": "alice@example.com",
            "password1": GOOD,
            "password2": GOOD,
            "next": "https://evil.example/",
        },
    )
    assert response.url == "/"


def test_a_language_picked_before_signing_up_is_kept(client):
    client.post("/i18n/setlang/", {"language": "zh-hans"})
    _sign_up(client)
    assert User.objects.get(username="alice").locale == "zh-hans"


def test_without_a_pick_the_browser_keeps_deciding(client):
    client.post(
        "/signup",
        {"username": "bob", "email": "bob@example.com", "password1": GOOD, "password2": GOOD},
        headers={"accept-language": "zh-CN"},
    )
    assert User.objects.get(username="bob").locale == ""
