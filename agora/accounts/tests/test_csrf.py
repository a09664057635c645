"""Every account form refuses a POST without the CSRF token."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _token(client, path):
    html = client.get(path).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("path", ["/signup", "/login", "/password-reset/", "/i18n/setlang/"])
def test_anonymous_forms_need_the_token(path):
    client = Client(enforce_csrf_checks=True)
    assert client.post(path, {"username": "x"}).status_code == 403


@pytest.mark.parametrize("path", ["/logout", "/settings/profile", "/settings/password"])
def test_member_forms_need_the_token(make_user, path):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    assert client.post(path, {}).status_code == 403


def test_with_the_token_the_form_works(make_user):
    make_user("alice")
    client = Client(enforce_csrf_checks=True)
    token = _token(client, "/login")
    response = client.post(
        "/login", {"username": "alice", "password": TEST_PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_htmx_header_carries_the_token(make_user):
    # base.html puts the token in hx-headers; the header form must be accepted as well
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    html = client.get("/settings/profile").content.decode()
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    assert client.post("/logout", headers={"X-CSRFToken": token}).status_code == 302
