"""The landing page, the welcome page, the base layout and the error pages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_visitors_get_the_landing_page(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/signup"' in html and 'href="/login"' in html
    assert "A market of many shops" in html
    assert 'href="/notifications"' not in html  # members only


def test_members_get_their_menu(client, make_user):
    client.force_login(make_user("alice", display_name="Alice L"))
    html = client.get("/settings/profile").content.decode()
    assert "Alice L" in html and "@alice" in html
    assert 'href="/@alice"' in html and 'href="/settings/profile"' in html and 'href="/notifications"' in html
    # log out is a POST form, not a link
    assert '<form method="post" action="/logout">' in html


def test_base_layout_carries_csrf_for_htmx_and_our_assets(client):
    html = client.get("/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "/static/web/app.css" in html
    assert "//cdn" not in html and "https://" not in html  # nothing from a CDN


def test_unknown_page_gets_our_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "This page doesn" in response.content.decode()
    assert "/static/web/app.css" in response.content.decode()


def test_default_images_exist(client):
    from django.contrib.staticfiles import finders

    for name in ("web/img/avatar.svg", "web/img/header.svg", "web/img/logo.svg", "web/app.css"):
        assert finders.find(name), name


def test_csrf_failure_gets_a_friendly_page():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/login", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "The form expired" in response.content.decode()


def test_profile_has_social_preview_tags(client, make_user):
    make_user("alice", display_name="Alice", bio="Tea & <cakes>")
    html = client.get("/@alice").content.decode()
    assert '<meta property="og:title" content="Alice (@alice)">' in html
    assert '<meta property="og:description" content="Tea &amp; &lt;cakes&gt;">' in html
