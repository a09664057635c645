"""The notifications page is a pure read; marking read is a CSRF-protected POST (the page sends it)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from agora.notifications.actions import do_notify
from agora.notifications.selectors import unread_count
from agora.social.actions import do_create_status, do_follow

pytestmark = pytest.mark.django_db(transaction=True)  # side effects run on commit


@pytest.fixture
def alice_with_news(active_user):
    """alice, followed and mentioned by bob: two unread notifications."""
    alice, bob = active_user("alice"), active_user("bob")
    do_follow(bob, alice)
    do_create_status(bob, "hi @alice")
    assert unread_count(alice) == 2
    return alice


def _client(user, **kwargs) -> Client:
    c = Client(**kwargs)
    c.force_login(user)
    return c


def _form_fields(html: str) -> dict[str, str]:
    form = re.search(r'<form method="post" action="/notifications/read".*?</form>', html, re.S)
    assert form, "the page offers no mark-read form"
    return dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(0)))


def test_viewing_the_page_does_not_mark_anything_read(alice_with_news):
    # given alice with two unread notifications
    c = _client(alice_with_news)
    # when she opens the page, twice
    html = c.get("/notifications").content.decode()
    c.get("/notifications")
    # then both are shown as new and still unread, and the page carries the self-posting form
    assert html.count("notif is-unread") == 2
    assert unread_count(alice_with_news) == 2
    assert 'hx-post="/notifications/read"' in html and 'hx-trigger="load"' in html
    assert "Mark all as read" in html


def test_posting_the_form_marks_read_and_returns_to_the_page(alice_with_news):
    # given the page alice sees
    c = _client(alice_with_news)
    fields = _form_fields(c.get("/notifications").content.decode())
    # when she presses "Mark all as read" (a plain form POST, no JS)
    response = c.post("/notifications/read", fields)
    # then everything is read and she is back on the page, which no longer offers the button
    assert response.status_code == 302 and response["Location"] == "/notifications"
    assert unread_count(alice_with_news) == 0
    html = c.get("/notifications").content.decode()
    assert "notif is-unread" not in html and "Mark all as read" not in html
    assert 'class="nav-badge"' not in html


def test_htmx_post_clears_the_badge_out_of_band(alice_with_news):
    c = _client(alice_with_news)
    fields = _form_fields(c.get("/notifications").content.decode())
    # when the page's automatic htmx request arrives
    response = c.post("/notifications/read", fields, headers={"HX-Request": "true"})
    # then the answer is only the badge, deleted out of band
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="nav-badge" hx-swap-oob="delete"' in body
    assert unread_count(alice_with_news) == 0


def test_a_notification_newer_than_the_page_stays_unread(alice_with_news, active_user):
    # given the page alice saw, then a new follower she has not seen
    c = _client(alice_with_news)
    fields = _form_fields(c.get("/notifications").content.decode())
    carol = active_user("carol")
    do_notify(alice_with_news.id, carol.id, "follow", None)
    # when the page's request marks read up to what it showed
    body = c.post("/notifications/read", fields, headers={"HX-Request": "true"}).content.decode()
    # then carol's follow is still unread, and the badge says so
    assert unread_count(alice_with_news) == 1
    assert 'id="nav-badge" hx-swap-oob="true"' in body and ">1</span>" in body


def test_mark_read_without_a_csrf_token_is_refused(alice_with_news):
    # given a client that enforces CSRF like a browser session does
    c = _client(alice_with_news, enforce_csrf_checks=True)
    fields = _form_fields(c.get("/notifications").content.decode())
    # when a POST arrives without the token (e.g. from another site's form)
    forged = c.post("/notifications/read", {"up_to": fields["up_to"]})
    # then it is refused and nothing changes
    assert forged.status_code == 403
    assert unread_count(alice_with_news) == 2
    # and with the page's token it works (the 403 was about CSRF)
    assert c.post("/notifications/read", fields).status_code == 302
    assert unread_count(alice_with_news) == 0


def test_the_htmx_header_token_is_accepted(alice_with_news):
    # the layout sends X-CSRFToken on every htmx request (body hx-headers)
    c = _client(alice_with_news, enforce_csrf_checks=True)
    token = _form_fields(c.get("/notifications").content.decode())["csrfmiddlewaretoken"]
    response = c.post("/notifications/read", {}, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200 and unread_count(alice_with_news) == 0


def test_mark_read_is_post_only_and_needs_a_login(alice_with_news):
    assert _client(alice_with_news).get("/notifications/read").status_code == 405
    assert unread_count(alice_with_news) == 2
    anonymous = Client().post("/notifications/read")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert unread_count(alice_with_news) == 2


@pytest.mark.parametrize("up_to", ["abc", "9" * 30, "-1", "\x00"])
def test_bad_up_to_marks_all_read_without_error(alice_with_news, up_to):
    # a crafted `up_to` is ignored (parse_id): "mark all as read", as the button says
    response = _client(alice_with_news).post("/notifications/read", {"up_to": up_to})
    assert response.status_code == 302 and unread_count(alice_with_news) == 0


def test_no_form_when_nothing_is_unread(active_user):
    html = _client(active_user("alice")).get("/notifications").content.decode()
    assert "/notifications/read" not in html


def test_button_in_chinese(alice_with_news):
    c = _client(alice_with_news)
    html = c.get("/notifications", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "全部标为已读" in html
