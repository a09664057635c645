import io
import time
from dataclasses import replace

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from PIL import Image

from agora.accounts.models import User
from agora.platform.tests.helpers import bearer, form_post, register_app


@pytest.fixture
def app_token(db):
    """A client-credentials token with write:accounts, as Mastodon clients get before sign-up."""
    app = register_app(Client(), scopes="read write follow")
    response = form_post(
        Client(),
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "write:accounts",
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def sign_up(token, **fields):
    data = {
        "username": "xiaoming",
        "email": "xm@example.com",
        "password": "a long Pa55word!",
        "agreement": True,
        "locale": "zh-Hans",
    }
    data.update(fields)
    return Client().post("/api/v1/accounts", data, content_type="application/json", **bearer(token))


def test_sign_up_returns_a_token_that_works_at_once(app_token):
    response = sign_up(app_token, display_name="小明")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer" and body["access_token"]
    me = Client().get("/api/v1/accounts/verify_credentials", **bearer(body["access_token"])).json()
    assert me["username"] == "xiaoming" and me["display_name"] == "小明"
    assert me["source"]["language"] == "zh-Hans"


def test_sign_up_form_encoded(app_token):
    response = Client().post(
        "/api/v1/accounts",
        "username=Form_User&email=f%40example.com&password=a+long+Pa55word%21&agreement=1",
        content_type="application/x-www-form-urlencoded",
        **bearer(app_token),
    )
    assert response.status_code == 200, response.content
    assert User.objects.filter(username="Form_User").exists()


@pytest.mark.parametrize(
    "username, code",
    [
        ("has space", "invalid_handle"),
        ("a" * 31, "invalid_handle"),
        ("中文名", "invalid_handle"),
        ("", "invalid_handle"),
        ("admin", "handle_reserved"),
    ],
)
def test_sign_up_refuses_bad_handles(app_token, username, code):
    response = sign_up(app_token, username=username)
    assert response.status_code == 422
    assert response.json()["code"] == code


def test_handles_are_unique_ignoring_case(app_token, make_user):
    make_user("XiaoMing")
    response = sign_up(app_token, username="xiaoming", email="other@example.com")
    assert response.status_code == 409
    assert response.json()["code"] == "handle_taken"


def test_sign_up_needs_agreement(app_token):
    response = sign_up(app_token, agreement=False)
    assert response.status_code == 422 and response.json()["code"] == "agreement_required"
    assert not User.objects.filter(username="xiaoming").exists()


def test_sign_up_needs_write_accounts(make_user, api_client):
    response = api_client(make_user(), scope="read").post(
        "/api/v1/accounts",
        {"username": "x1", "email": "x1@example.com", "password": "a long Pa55word!", "agreement": True},
    )
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"


def test_sign_up_without_token_is_401(db):
    response = Client().post("/api/v1/accounts", {"username": "x"}, content_type="application/json")
    assert response.status_code == 401


def test_email_confirmation_gates_the_token(app_token, django_capture_on_commit_callbacks):
    agora = replace(settings.AGORA, require_email_confirmation=True)
    with override_settings(AGORA=agora):
        # given a sign-up on a site that requires confirmation
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_up(app_token)
        assert response.status_code == 200
        token = response.json()["access_token"]
        # then the token is refused until the emailed link is opened
        refused = Client().get("/api/v1/accounts/verify_credentials", **bearer(token))
        assert refused.status_code == 403 and refused.json()["code"] == "email_unconfirmed"
        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["xm@example.com"]
        link = next(word for word in mail.outbox[0].body.split() if "/auth/confirm/" in word)
        path = link[link.index("/auth/confirm/") :]
        assert Client().get(path).status_code == 200
        assert Client().get("/auth/confirm/forged-token").status_code == 400
        assert Client().get("/api/v1/accounts/verify_credentials", **bearer(token)).status_code == 200


def _jpeg_with_exif(size=(1200, 900)) -> bytes:
    img = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N"}  # GPS IFD
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_update_credentials_with_avatar_strips_exif_and_resizes(make_user, make_token, tmp_path):
    user = make_user("painter")
    token = make_token(user, "read write")
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    upload = SimpleUploadedFile("me.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    body = encode_multipart(
        BOUNDARY, {"display_name": "画家 小王", "note": "画画的", "locked": "true", "avatar": upload}
    )
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        response = Client().patch(
            "/api/v1/accounts/update_credentials", body, content_type=MULTIPART_CONTENT, **bearer(token)
        )
        assert response.status_code == 200, response.content
        data = response.json()
        assert (
            data["display_name"] == "画家 小王" and data["note"] == "<p>画画的</p>" and data["locked"] is True
        )
        assert data["source"]["note"] == "画画的"
        user.refresh_from_db()
        with user.avatar.open("rb") as f:
            stored = Image.open(io.BytesIO(f.read()))
        assert max(stored.size) <= 400
        assert not stored.getexif()


def test_update_credentials_json_and_bad_input(make_user, api_client):
    client = api_client(make_user(), scope="write:accounts read:accounts")
    ok = client.patch("/api/v1/accounts/update_credentials", {"display_name": "新名字"})
    assert ok.status_code == 200 and ok.json()["display_name"] == "新名字"
    too_long = client.patch("/api/v1/accounts/update_credentials", {"display_name": "x" * 61})
    assert too_long.status_code == 422 and too_long.json()["code"] == "too_long"
    bad_image = client.patch("/api/v1/accounts/update_credentials", {"note": ["not", "text"]})
    assert bad_image.status_code == 422


def test_update_credentials_rejects_non_image(make_user, make_token):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    token = make_token(make_user(), "write")
    body = encode_multipart(BOUNDARY, {"avatar": SimpleUploadedFile("x.jpg", b"<?php evil ?>")})
    response = Client().patch(
        "/api/v1/accounts/update_credentials", body, content_type=MULTIPART_CONTENT, **bearer(token)
    )
    assert response.status_code == 422


def test_get_account_and_lookup(make_user, api_client):
    bob = make_user("Bob_1", display_name="鲍勃")
    client = api_client(make_user(), scope="read")
    assert client.get(f"/api/v1/accounts/{bob.id}").json()["acct"] == "Bob_1"
    assert client.get("/api/v1/accounts/lookup", {"acct": "bob_1"}).json()["id"] == str(bob.id)
    assert client.get("/api/v1/accounts/lookup", {"acct": "@Bob_1@testserver"}).json()["id"] == str(bob.id)
    # anonymous reads are allowed, as on Mastodon
    assert Client().get(f"/api/v1/accounts/{bob.id}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/accounts/999999",
        "/api/v1/accounts/lookup?acct=nobody",
        "/api/v1/accounts/lookup?acct=bob@other.example",
        "/api/v1/accounts/99999999999999999999999",
    ],
)
def test_unknown_accounts_are_404_with_error_shape(db, make_user, path):
    make_user("bob")
    response = Client().get(path)
    assert response.status_code == 404
    body = response.json()
    assert set(body) >= {"error", "code"} and body["code"] == "not_found"


def test_deactivated_account_is_404(make_user):
    gone = make_user("gone", is_active=False)
    assert Client().get(f"/api/v1/accounts/{gone.id}").status_code == 404
    assert Client().get("/api/v1/accounts/lookup?acct=gone").status_code == 404


def test_lookup_needs_acct(db):
    response = Client().get("/api/v1/accounts/lookup")
    assert response.status_code == 422 and response.json()["code"] == "validation_failed"


def test_unconfirmed_user_can_ask_for_the_email_again(
    make_user, make_token, django_capture_on_commit_callbacks
):
    user = make_user("waiting", email_confirmed=False)
    token = make_token(user, "write:accounts")
    with override_settings(AGORA=replace(settings.AGORA, require_email_confirmation=True)):
        with django_capture_on_commit_callbacks(execute=True):
            statuses = [
                Client()
                .post("/api/v1/emails/confirmations", content_type="application/json", **bearer(token))
                .status_code
                for _ in range(4)
            ]
        assert statuses == [200, 200, 200, 429]
        assert len(mail.outbox) == 3 and "/auth/confirm/" in mail.outbox[0].body
        # other endpoints stay closed to the unconfirmed token
        assert Client().get("/api/v1/accounts/verify_credentials", **bearer(token)).status_code == 403
    User.objects.filter(id=user.id).update(email_confirmed=True)
    again = Client().post("/api/v1/emails/confirmations", content_type="application/json", **bearer(token))
    assert again.status_code == 403 and again.json()["code"] == "email_already_confirmed"


def test_verify_credentials_is_one_query(make_user, api_client, django_assert_num_queries):
    client = api_client(make_user(), scope="read")
    with django_assert_num_queries(2):  # the token with its user and app; the shop (agora_shop)
        assert client.get("/api/v1/accounts/verify_credentials").status_code == 200


def test_account_by_id_is_two_queries(make_user, api_client, django_assert_num_queries):
    bob = make_user()
    client = api_client(make_user(), scope="read")
    with django_assert_num_queries(3):  # token, account, its shop (agora_shop)
        assert client.get(f"/api/v1/accounts/{bob.id}").status_code == 200


def test_sign_ups_are_limited_per_ip(app_token, monkeypatch):
    monkeypatch.setattr("agora.accounts.api.SIGN_UPS_PER_IP", 2)
    # One fixed instant: on a loaded machine three argon2 sign-ups could straddle a window boundary.
    # (the present instant, not a future one: ids made meanwhile must not jump ahead of the real clock)
    frozen = time.time()
    monkeypatch.setattr("agora.core.ratelimit.time.time", lambda: frozen)
    codes = [sign_up(app_token, username=f"n{i}", email=f"n{i}@example.com").status_code for i in range(3)]
    assert codes == [200, 200, 429]
    assert not User.objects.filter(username="n2").exists()
