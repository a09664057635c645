"""English by default, Simplified Chinese from Accept-Language or the language switcher."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("header", ["zh-CN", "zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans", "zh"])
def test_chinese_browsers_get_chinese(client, header):
    html = client.get("/", headers={"accept-language": header}).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "注册" in html and "集市" in html


def test_others_get_english(client):
    html = client.get("/", headers={"accept-language": "fr-FR,de;q=0.8"}).content.decode()
    assert '<html lang="en">' in html and "Sign up" in html


def test_switching_language_sticks(client):
    # when a visitor picks 简体中文 in the switcher
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/login"})
    # then they go back where they were, and later pages are Chinese even with an English browser
    assert response.status_code == 302 and response.url == "/login"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    html = client.get("/login", headers={"accept-language": "en"}).content.decode()
    assert "欢迎回来" in html
    # and switching back to English works
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Welcome back" in client.get("/login").content.decode()


def test_every_page_offers_both_languages(client):
    html = client.get("/signup").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'value="zh-hans"' in html and 'value="en"' in html


def test_member_pages_are_translated(client, make_user):
    client.force_login(make_user("alice"))
    client.post("/i18n/setlang/", {"language": "zh-hans"})
    assert "编辑资料" in client.get("/settings/profile").content.decode()
    assert "修改密码" in client.get("/settings/password").content.decode()
    assert "加入" in client.get("/@alice").content.decode()  # "Joined ..." in Chinese


def test_a_members_switch_is_saved_on_the_account(client, make_user):
    user = make_user("alice")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    user.refresh_from_db()
    assert user.locale == "zh-hans"
    # an unknown language changes nothing
    client.post("/i18n/setlang/", {"language": "xx"})
    user.refresh_from_db()
    assert user.locale == "zh-hans"


def test_switching_is_refused_without_csrf_token(make_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.post("/i18n/setlang/", {"language": "zh-hans"}).status_code == 403
