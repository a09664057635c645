"""Mastodon clients insert an account's `note` and field values as HTML: they must be safe HTML."""

from __future__ import annotations

import pytest

from agora.accounts.actions import do_update_profile

pytestmark = pytest.mark.django_db

ATTACK = '<img src=x onerror="alert(1)">\nline two\n\n<script>alert(2)</script>'


def test_note_is_escaped_html_and_source_keeps_the_text(make_user, api_client):
    # given a bio holding markup, typed over several lines
    user = make_user()
    do_update_profile(user, bio=ATTACK)
    # when anyone reads the account, and its owner reads their credentials
    public = api_client(make_user()).get(f"/api/v1/accounts/{user.id}").json()
    own = api_client(user).get("/api/v1/accounts/verify_credentials").json()
    # then `note` is escaped HTML in paragraphs, and `source.note` is the text as typed
    assert public["note"] == (
        "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<br>line two</p>"
        "<p>&lt;script&gt;alert(2)&lt;/script&gt;</p>"
    )
    assert "<img" not in public["note"] and "<script" not in public["note"]
    assert own["source"]["note"] == ATTACK


def test_website_field_is_an_escaped_link(make_user, api_client):
    # given a website URL that is valid but carries markup characters in its query
    user = make_user()
    url = 'https://example.com/?a="><svg/onload=alert(1)>'
    user.website = url  # stored as is: the point is what the serialiser makes of it
    user.save(update_fields=["website"])
    # when the account is read
    data = api_client(make_user()).get(f"/api/v1/accounts/{user.id}").json()
    own = api_client(user).get("/api/v1/accounts/verify_credentials").json()
    # then the field value is one escaped link with rel=nofollow noopener, the source the plain URL
    value = data["fields"][0]["value"]
    assert value.startswith('<a href="https://example.com/?a=&quot;&gt;&lt;svg/onload=alert(1)&gt;"')
    assert 'rel="me nofollow noopener noreferrer"' in value
    assert "<svg" not in value
    assert own["source"]["fields"] == [{"name": "Website", "value": url}]


def test_empty_bio_is_empty_note(make_user, api_client):
    user = make_user()
    assert api_client(user).get(f"/api/v1/accounts/{user.id}").json()["note"] == ""
