"""Every notification task run twice records each notification once: a worker that dies mid-task has
its task run again (docs/architecture.md, "Background work survives a dead worker")."""

from collections import Counter

import pytest

from agora.notifications import tasks
from agora.notifications.models import Notification
from agora.social import events
from agora.social.actions import do_create_status, do_favourite, do_follow, do_reblog


@pytest.fixture(autouse=True)
def by_hand(monkeypatch):
    """The square's events switched off: each test runs the tasks itself, twice."""
    for event in (
        events.STATUS_CREATED,
        events.STATUS_EDITED,
        events.STATUS_REBLOGGED,
        events.STATUS_FAVOURITED,
        events.FOLLOW_REQUESTED,
        events.FOLLOWED,
    ):
        monkeypatch.setattr(event, "tasks", [])


def received() -> Counter:
    return Counter(Notification.objects.values_list("recipient__username", "type", "actor__username"))


def test_status_created_twice_notifies_once_with_subscribers_in_batches(active_user, monkeypatch):
    # given alice with five subscribers (the bell), and posts by carol and dave
    alice, bob, carol, dave = (active_user(n) for n in ("alice", "bob", "carol", "dave"))
    subscribers = [active_user(f"fan{i}") for i in range(5)]
    for fan in subscribers:
        do_follow(fan, alice, notify=True)
    carols, daves = do_create_status(carol, "question"), do_create_status(dave, "quotable")
    # when alice's post (mentioning bob, quoting dave) and her reply to carol are each handled twice,
    # in batches of two subscribers
    monkeypatch.setattr(tasks, "SUBSCRIBER_BATCH", 2)
    queued: list[list[int]] = []
    send = tasks.notify_subscribers.delay
    monkeypatch.setattr(
        tasks.notify_subscribers, "delay", lambda sid, ids: (queued.append(ids), send(sid, ids))
    )
    post = do_create_status(alice, "hi @bob", quoted_status_id=daves.id)
    reply = do_create_status(alice, "an answer", in_reply_to_id=carols.id)
    for _ in range(2):
        tasks.status_created(post.id, [bob.id])
        tasks.status_created(reply.id, [])
    # then each run told the first two subscribers itself and queued the other three in two batches
    fans = [f.id for f in subscribers]
    assert queued == [fans[2:4], fans[4:]] * 2
    # and everyone was told once
    assert received() == Counter(
        [("bob", "mention", "alice"), ("dave", "quote", "alice"), ("carol", "mention", "alice")]
        + [(f"fan{i}", "status", "alice") for i in range(5)]
    )


def test_notify_subscribers_twice_notifies_once(active_user):
    alice, bob = active_user("alice"), active_user("bob")
    post = do_create_status(alice, "news")
    for _ in range(2):
        tasks.notify_subscribers(post.id, [bob.id])
    assert received() == Counter([("bob", "status", "alice")])


def test_status_edited_twice_notifies_once(active_user):
    alice, bob, carol = active_user("alice"), active_user("bob"), active_user("carol")
    post = do_create_status(alice, "v1")
    do_reblog(bob, post)
    for _ in range(2):
        tasks.status_edited(post.id, [carol.id])
    assert received() == Counter([("bob", "update", "alice"), ("carol", "mention", "alice")])


def test_status_reblogged_twice_notifies_once(active_user):
    alice, bob = active_user("alice"), active_user("bob")
    reblog = do_reblog(bob, do_create_status(alice, "worth sharing"))
    for _ in range(2):
        tasks.status_reblogged(reblog.id)
    assert received() == Counter([("alice", "reblog", "bob")])


def test_status_favourited_twice_notifies_once(active_user):
    alice, bob = active_user("alice"), active_user("bob")
    post = do_create_status(alice, "likeable")
    do_favourite(bob, post)
    for _ in range(2):
        tasks.status_favourited(bob.id, post.id)
    assert received() == Counter([("alice", "favourite", "bob")])


@pytest.mark.parametrize("task,kind", [("followed", "follow"), ("follow_requested", "follow_request")])
def test_follow_tasks_twice_notify_once(active_user, task, kind):
    alice, bob = active_user("alice"), active_user("bob")
    for _ in range(2):
        getattr(tasks, task)(bob.id, alice.id)
    assert received() == Counter([("alice", kind, "bob")])
