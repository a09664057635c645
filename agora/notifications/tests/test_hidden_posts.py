"""A notification about a post the recipient may not see is never recorded (no phantom unread count)."""

from __future__ import annotations

import pytest

from agora.notifications.models import Notification
from agora.notifications.selectors import unread_count
from agora.social.actions import do_create_status, do_follow

pytestmark = pytest.mark.django_db(transaction=True)  # side effects run on commit


def test_direct_reply_without_mention_does_not_notify_the_parent_author(active_user, api_client):
    # given alice's public post, and bob's reply to it sent as a direct message to carol only
    alice, bob, carol = active_user("alice"), active_user("bob"), active_user("carol")
    post = do_create_status(alice, "hello")
    do_create_status(bob, "@carol look at this", in_reply_to_id=post.id, visibility="direct")
    # then alice, who cannot open that reply, has no notification and no unread count for it
    assert unread_count(alice) == 0
    assert api_client(alice).get("/api/v1/notifications").json() == []
    assert Notification.objects.filter(recipient=carol, type="mention").count() == 1


def test_followers_only_reply_notifies_the_author_only_if_they_follow(active_user):
    # given a followers-only reply from bob to alice's post
    alice, bob = active_user("alice"), active_user("bob")
    post = do_create_status(alice, "hello")
    do_create_status(bob, "for my followers", in_reply_to_id=post.id, visibility="private")
    # then alice, who does not follow bob, is not told about a post she cannot see
    assert unread_count(alice) == 0
    # when she follows bob and he replies again followers-only, then she is told
    do_follow(alice, bob)
    do_create_status(bob, "again", in_reply_to_id=post.id, visibility="private")
    assert unread_count(alice) == 1
