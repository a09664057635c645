"""The public profile page /@handle."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_profile_shows_the_account(client, make_user):
    make_user(
        "alice",
        display_name="爱丽丝",
        bio="Hello",
        location="上海",
        website="https://alice.example/x",
        followers_count=1234,
        following_count=5,
        statuses_count=42,
        verified=True,
    )
    html = client.get("/@alice").content.decode()
    assert "爱丽丝" in html and "@alice" in html and "上海" in html
    assert "1,234" in html and ">42<" in html
    assert 'class="verified"' in html
    assert '<a href="https://alice.example/x" rel="nofollow ugc noopener"' in html


def test_profile_escapes_user_text(client, make_user):
    # given a bio, name and location carrying markup
    make_user("mallory", display_name="<b>M</b>", bio="<script>alert(1)</script>", location='"><img src=x>')
    # when anyone views the profile
    html = client.get("/@mallory").content.decode()
    # then the markup is shown as text, never run
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>M</b>" not in html and "<img src=x>" not in html


def test_unverified_account_has_no_badge(client, make_user):
    make_user("bob")
    assert 'class="verified"' not in client.get("/@bob").content.decode()


@pytest.mark.parametrize("path", ["/@nobody", "/@", "/@bad-handle"])
def test_unknown_handle_is_a_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "This page doesn" in response.content.decode()


def test_inactive_account_is_a_404(client, make_user):
    make_user("gone", is_active=False)
    assert client.get("/@gone").status_code == 404


def test_handle_case_redirects_to_the_canonical_address(client, make_user):
    make_user("Alice")
    response = client.get("/@alice")
    assert response.status_code == 301 and response.url == "/@Alice"


def test_own_profile_links_to_settings(client, make_user):
    user = make_user("alice")
    client.force_login(user)
    assert 'href="/settings/profile"' in client.get("/@alice").content.decode()


def test_profile_header_is_one_query_for_visitors(client, make_user, django_assert_num_queries, monkeypatch):
    # the accounts part alone (the social app's tabs add their own queries and their own test)
    monkeypatch.setattr("agora.accounts.views.PROFILE_TEMPLATES", ["accounts/profile.html"])
    make_user("alice")
    with django_assert_num_queries(1):
        assert client.get("/@alice").status_code == 200
