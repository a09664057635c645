"""The transactional outbox (agora/core/outbox.py): what a transaction queues is written in it, relayed
after its commit, and swept when its process died before relaying it; twice is one effect."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery import shared_task
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from agora.core import outbox
from agora.core.events import after_commit
from agora.core.ids import id_at, new_id
from agora.core.models import OutboxMessage
from agora.feeds.store import get_store
from agora.notifications.models import Notification
from agora.social.actions import do_create_status, do_follow

RAN: list[tuple] = []
FAILURES: list[str] = []


@shared_task(name="tests.outbox_record")
def record(*args: object) -> None:
    if FAILURES:
        raise RuntimeError(FAILURES.pop())
    RAN.append(args)


@pytest.fixture(autouse=True)
def _clean():
    RAN.clear()
    FAILURES.clear()
    yield
    RAN.clear()


class ProcessDied(Exception):
    """Raised by an on-commit hook that runs before the outbox's: Django runs no hook after it, as
    when the process dies between the commit and the publish."""


def _die() -> None:
    raise ProcessDied


def later(seconds: float = outbox.SWEEP_AFTER + 1) -> timezone.datetime:
    return timezone.now() + timedelta(seconds=seconds)


@pytest.mark.django_db(transaction=True)
def test_a_transaction_writes_one_row_and_its_commit_relays_and_deletes_it(both_paths):
    # given a transaction that queues three tasks at one level
    with transaction.atomic():
        after_commit(record, 1)
        after_commit(record, 2)
        after_commit(record, 3)
        # then they are one row, written in the transaction, and nothing ran yet
        assert list(OutboxMessage.objects.values_list("calls", flat=True)) == [
            [["tests.outbox_record", [n], {}] for n in (1, 2, 3)]
        ]
        assert RAN == []
    # when it commits: each ran once, in order, and the row is gone
    assert RAN == [(1,), (2,), (3,)]
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_takes_its_tasks_with_it(both_paths):
    with transaction.atomic():
        after_commit(record, "outer")
        try:
            with transaction.atomic():
                after_commit(record, "rolled back")
                raise ValueError
        except ValueError:
            pass
        with transaction.atomic():
            after_commit(record, "inner kept")
        after_commit(record, "outer again")
        # the inner savepoint's calls are a row of their own: only the kept one is left
        rows = sorted(OutboxMessage.objects.values_list("calls", flat=True), key=len)
        assert [[c[1][0] for c in r] for r in rows] == [["inner kept"], ["outer", "outer again"]]
    assert sorted(RAN) == [("inner kept",), ("outer",), ("outer again",)]
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_queues_nothing():
    with pytest.raises(ValueError), transaction.atomic():
        after_commit(record, "never")
        raise ValueError
    with transaction.atomic():
        after_commit(record, "next")
    assert RAN == [("next",)] and OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_call_is_published_at_once():
    after_commit(record, "now")
    assert RAN == [("now",)] and OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_post_whose_process_died_after_the_commit_reaches_the_followers_through_the_sweep(
    make_user, settings
):
    settings.AGORA_TIMELINE_REDIS_URL = ""  # the SQL timeline store
    author = make_user("author", last_active_at=timezone.now())
    reader = make_user("reader", last_active_at=timezone.now())
    do_follow(reader, author)
    store = get_store()
    store.replace(reader.id, [])
    # given a post committed by a process that died before publishing its tasks
    with pytest.raises(ProcessDied), transaction.atomic():
        transaction.on_commit(_die)
        status = do_create_status(author, "hello @reader")
    # then the post is there, but nobody was told: its tasks wait in the outbox
    assert store.page(reader.id, max_id=None, since_id=None, limit=20) == []
    assert OutboxMessage.objects.count() == 1
    # and the sweep leaves a row alone while its process may still be relaying it
    assert outbox.sweep() == 0
    # when the sweep comes after SWEEP_AFTER seconds
    assert outbox.sweep(now=later()) == 1
    # then the follower has the post, the mention its notification, and the outbox is empty
    assert store.page(reader.id, max_id=None, since_id=None, limit=20) == [status.id]
    assert Notification.objects.filter(recipient=reader, type="mention").count() == 1
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_row_relayed_twice_has_one_effect(make_user, settings):
    # given a post relayed by its hook, whose process died before deleting the row (the row is back)
    settings.AGORA_TIMELINE_REDIS_URL = ""
    author = make_user("author", last_active_at=timezone.now())
    reader = make_user("reader", last_active_at=timezone.now())
    do_follow(reader, author)
    store = get_store()
    store.replace(reader.id, [])
    with transaction.atomic():
        status = do_create_status(author, "hello @reader")
        calls = OutboxMessage.objects.get().calls
    OutboxMessage.objects.create(id=new_id(), calls=calls)
    # when the sweep publishes it again
    assert outbox.sweep(now=later()) == 1
    # then one entry and one notification
    assert store.page(reader.id, max_id=None, since_id=None, limit=20) == [status.id]
    assert Notification.objects.filter(recipient=reader, type="mention").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_publish_keeps_the_row_for_the_sweep_which_backs_off():
    # given a publish that fails (inline, the task is the publish: here it raises once)
    FAILURES.append("broker away")
    with transaction.atomic():
        after_commit(record, "x")
    assert RAN == [] and OutboxMessage.objects.count() == 1
    # when the sweep runs it: published, deleted
    assert outbox.sweep(now=later()) == 1
    assert RAN == [("x",)] and OutboxMessage.objects.count() == 0
    # and a row the sweep fails on is tried again only after a backoff
    FAILURES.extend(["still away"] * 3)  # the hook, then two sweeps
    with transaction.atomic():
        after_commit(record, "y")
    first = later()
    assert outbox.sweep(now=first) == 0
    row = OutboxMessage.objects.get()
    assert row.attempts == 1 and row.retry_at > first
    assert outbox.sweep(now=first + timedelta(seconds=1)) == 0 and OutboxMessage.objects.get().attempts == 1
    assert outbox.sweep(now=row.retry_at) == 0 and OutboxMessage.objects.get().attempts == 2
    assert outbox.sweep(now=row.retry_at + timedelta(hours=2)) == 1 and RAN[-1] == ("y",)


@pytest.mark.django_db(transaction=True)
def test_a_row_that_always_fails_becomes_a_dead_letter_not_a_loop(capsys):
    # given a row naming a task this code no longer has (a deploy removed it)
    OutboxMessage.objects.create(id=id_at(timezone.now().timestamp() - 60), calls=[["gone.task", [1], {}]])
    now = timezone.now()
    for _ in range(outbox.MAX_ATTEMPTS + 3):
        now += timedelta(seconds=outbox.BACKOFF_MAX + 1)
        outbox.sweep(now=now)
    # then it was tried MAX_ATTEMPTS times and is left as a dead letter, which the sweep skips
    row = OutboxMessage.objects.get()
    assert row.attempts == outbox.MAX_ATTEMPTS
    assert outbox.status(now=now) == {"unsent": 0, "oldest_seconds": 0, "dead": 1}
    # the command shows it and can give it another round
    call_command("outbox")
    assert "dead letters: 1" in capsys.readouterr().out
    call_command("outbox", "--retry-dead")
    assert outbox.status(now=now)["dead"] == 0 and OutboxMessage.objects.get().attempts == 0


@pytest.mark.django_db(transaction=True)
def test_the_status_counts_rows_waiting_past_the_sweep_delay():
    with pytest.raises(ProcessDied), transaction.atomic():
        transaction.on_commit(_die)
        after_commit(record, "lost")
    assert outbox.status()["unsent"] == 0  # its hook may still be relaying it
    state = outbox.status(now=later(30))
    assert state["unsent"] == 1 and state["oldest_seconds"] >= 30


@pytest.mark.django_db(transaction=True)
def test_an_event_nobody_subscribes_to_writes_no_row():
    from agora.core.events import Event

    with transaction.atomic():
        Event("test.nobody").publish(1)
        assert OutboxMessage.objects.count() == 0
