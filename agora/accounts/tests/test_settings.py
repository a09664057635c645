"""Profile settings (text, privacy, images) and password change."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from PIL import Image

from agora.accounts.models import User
from conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (800, 600), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0131] = "secret-editor"  # Software
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _profile_data(**overrides):
    return {"display_name": "", "bio": "", "location": "", "website": "", **overrides}


def test_settings_need_a_log_in(client):
    response = client.get("/settings/profile")
    assert response.status_code == 302 and response.url.startswith("/login?next=/settings/profile")


def test_update_profile_text_in_any_script(client, make_user):
    user = make_user("alice")
    client.force_login(user)
    response = client.post(
        "/settings/profile",
        _profile_data(
            display_name="王小明 🌸",
            bio="第一行\n第二行",
            location="北京",
            website="alice.example",
            locked="on",
        ),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.location) == ("王小明 🌸", "第一行\n第二行", "北京")
    assert user.website == "https://alice.example"
    assert user.locked is True
    assert "Your profile has been saved." in client.get("/settings/profile").content.decode()


def test_bad_website_is_a_form_error(client, make_user):
    user = make_user("alice", display_name="Alice")
    client.force_login(user)
    response = client.post(
        "/settings/profile", _profile_data(display_name="Changed", website="javascript:alert(1)")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["website"]
    user.refresh_from_db()
    assert user.display_name == "Alice"


def test_too_long_bio_is_a_form_error(client, make_user):
    client.force_login(make_user())
    response = client.post("/settings/profile", _profile_data(bio="x" * 501))
    assert response.status_code == 200 and response.context["form"].errors["bio"]


def test_avatar_upload_strips_exif_and_shrinks(client, make_user, media_root):
    # given a photo carrying EXIF metadata
    user = make_user("alice")
    client.force_login(user)
    photo = io.BytesIO(_jpeg_with_exif())
    photo.name = "me.jpg"
    assert Image.open(io.BytesIO(photo.getvalue())).getexif()[0x010F] == "SpyCam"
    # when it is uploaded as the avatar
    response = client.post("/settings/profile", {**_profile_data(), "avatar": photo})
    # then the stored image has no EXIF and is at most 400 px wide
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.startswith("avatars/")
    with user.avatar.open("rb") as f:
        stored = Image.open(io.BytesIO(f.read()))
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info
    assert max(stored.size) <= 400
    # and the profile page shows it
    assert user.avatar.url in client.get("/@alice").content.decode()


def test_header_upload(client, make_user, media_root):
    user = make_user("alice")
    client.force_login(user)
    out = io.BytesIO()
    Image.new("RGB", (3000, 1000), (0, 0, 255)).save(out, "PNG")
    out.seek(0)
    out.name = "header.png"
    assert client.post("/settings/profile", {**_profile_data(), "header": out}).status_code == 302
    user.refresh_from_db()
    with user.header.open("rb") as f:
        assert Image.open(f).size == (1500, 500)


def test_a_file_that_is_not_an_image_is_a_form_error(client, make_user, media_root):
    user = make_user("alice")
    client.force_login(user)
    fake = io.BytesIO(b"<?php echo 'hi'; ?>")
    fake.name = "avatar.png"
    response = client.post("/settings/profile", {**_profile_data(), "avatar": fake})
    assert response.status_code == 200
    assert response.context["form"].errors["avatar"] == ["The file is not a readable image."]
    user.refresh_from_db()
    assert not user.avatar


def test_change_password(client, make_user):
    user = make_user("alice")
    client.force_login(user)
    response = client.post(
        "/settings/password",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "a brand new passphrase",
            "new_password2": "a brand new passphrase",
        },
    )
    assert response.status_code == 302 and response.url == "/settings/password"
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")
    # still logged in after the change
    assert client.get("/settings/password").status_code == 200


def test_change_password_needs_the_old_one(client, make_user):
    user = make_user("alice")
    client.force_login(user)
    response = client.post(
        "/settings/password",
        {
            "old_password": "wrong",
            "new_password1": "a brand new passphrase",
            "new_password2": "a brand new passphrase",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["old_password"]


def test_password_reset_by_email(client, make_user):
    # given an account with an email
    user = make_user("alice", email="alice@example.com")
    # when a reset is asked for that address in another case
    response = client.post("/password-reset/", {"email": "ALICE@example.com"})
    assert response.status_code == 302 and response.url == "/password-reset/sent/"
    # then one email with a working link is sent
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Reset your Agora password"
    link = next(line for line in body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    set_password_page = client.get(path, follow=True)
    assert set_password_page.context["validlink"]
    response = client.post(
        set_password_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert response.url == "/password-reset/done/"
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")


def test_password_reset_for_unknown_email_says_the_same(client):
    response = client.post("/password-reset/", {"email": "nobody@example.com"})
    assert response.url == "/password-reset/sent/"
    assert mail.outbox == []


def test_staff_can_find_and_verify_accounts_in_admin(client, make_user):
    admin = make_user("boss", is_staff=True, is_superuser=True)
    make_user("alice")
    client.force_login(admin)
    page = client.get("/admin/accounts/user/?q=ali&verified__exact=0")
    assert page.status_code == 200 and "alice" in page.content.decode()
    alice = User.objects.get(username="alice")
    client.post("/admin/accounts/user/", {"action": "mark_verified", "_selected_action": [alice.pk]})
    alice.refresh_from_db()
    assert alice.verified


def test_settings_navigation_marks_the_current_page(client, make_user):
    client.force_login(make_user())
    html = client.get("/settings/password").content.decode()
    assert 'href="/settings/password" aria-current="page"' in html
    assert 'href="/settings/applications"' in html


def test_chosen_language_follows_the_account(client, make_user):
    # given a member who picks Chinese in their settings
    user = make_user("alice")
    client.force_login(user)
    response = client.post("/settings/profile", _profile_data(locale="zh-hans"))
    assert response.cookies["django_language"].value == "zh-hans"
    user.refresh_from_db()
    assert user.locale == "zh-hans"
    assert "你的资料已保存。" in client.get("/settings/profile").content.decode()
    # when they log in from another device with an English browser
    other = type(client)()
    response = other.post("/login", {"username": "alice", "password": TEST_PASSWORD})
    # then that device switches to Chinese too
    assert response.cookies["django_language"].value == "zh-hans"
    assert "编辑资料" in other.get("/settings/profile", headers={"accept-language": "en"}).content.decode()


def test_unknown_language_is_refused(client, make_user):
    client.force_login(make_user())
    response = client.post("/settings/profile", _profile_data(locale="xx"))
    assert response.status_code == 200 and response.context["form"].errors["locale"]


def test_going_back_to_the_browser_language_drops_the_cookie(client, make_user):
    client.force_login(make_user("alice", locale="zh-hans"))
    response = client.post("/settings/profile", _profile_data(locale=""))
    assert response.cookies["django_language"].value == ""  # deleted
    assert (
        "Edit profile" in client.get("/settings/profile", headers={"accept-language": "en"}).content.decode()
    )
