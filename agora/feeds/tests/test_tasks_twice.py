"""Every timeline task run twice leaves one effect: a worker that dies mid-task has its task run
again (docs/architecture.md, "Background work survives a dead worker"). Big fan-outs go in batches."""

from dataclasses import replace

import pytest

from agora.feeds import tasks
from agora.feeds.store import get_store
from agora.social import events
from agora.social.actions import do_create_status, do_follow
from agora.social.models import Status


@pytest.fixture(params=["sql", "redis"])
def store(request, settings, monkeypatch):
    """A timeline store, with the square's events switched off so that each test runs the tasks."""
    if request.param == "redis":
        request.getfixturevalue("timeline_redis")
    else:
        settings.AGORA_TIMELINE_REDIS_URL = ""
    for event in (
        events.STATUS_CREATED,
        events.STATUS_REBLOGGED,
        events.STATUS_DELETED,
        events.FOLLOWED,
        events.ACCOUNT_HIDDEN,
    ):
        monkeypatch.setattr(event, "tasks", [])
    return get_store()


def stored(store, owner_id: int) -> list[int]:
    return store.page(owner_id, max_id=None, since_id=None, limit=50)


@pytest.fixture
def author_and_readers(active_user, store):
    """An author followed by five readers, each with a stored (empty) timeline."""
    author = active_user("author")
    readers = [active_user(f"reader{i}") for i in range(5)]
    for reader in readers:
        do_follow(reader, author)
    for user in (author, *readers):
        store.replace(user.id, [])
    return author, readers


def record_batches(monkeypatch, task) -> list[list[int]]:
    """The owner ids of each batch `task` is queued with; the batches still run (inline)."""
    queued: list[list[int]] = []
    send = task.delay

    def delay(status_id, account_id, owner_ids):
        queued.append(owner_ids)
        return send(status_id, account_id, owner_ids)

    monkeypatch.setattr(task, "delay", delay)
    return queued


def test_fan_out_twice_in_batches_puts_the_post_in_each_timeline_once(
    store, author_and_readers, settings, monkeypatch
):
    # given an author with five followers and batches of two
    settings.AGORA = replace(settings.AGORA, fanout_batch=2)
    author, readers = author_and_readers
    status = do_create_status(author, "hello")
    queued = record_batches(monkeypatch, tasks.push_batch)
    # when the fan-out runs twice
    tasks.fan_out_status(status.id, [])
    tasks.fan_out_status(status.id, [])
    # then each run did the first two timelines (author and first reader) and queued two batches
    owners = [author.id, *(r.id for r in readers)]
    assert queued == [owners[2:4], owners[4:]] * 2
    # and every timeline holds the post once
    for owner in owners:
        assert stored(store, owner) == [status.id]


def test_a_batch_run_twice_pushes_once_and_not_after_a_delete(store, author_and_readers):
    author, readers = author_and_readers
    kept = do_create_status(author, "kept")
    gone = do_create_status(author, "gone")
    owners = [r.id for r in readers[:2]]
    Status.objects.filter(id=gone.id).delete()
    for _ in range(2):
        tasks.push_batch(kept.id, author.id, owners)
        tasks.push_batch(gone.id, author.id, owners)
    for owner in owners:
        assert stored(store, owner) == [kept.id]
    assert stored(store, readers[2].id) == []


def test_remove_status_twice_in_batches_empties_every_timeline(
    store, author_and_readers, settings, monkeypatch
):
    settings.AGORA = replace(settings.AGORA, fanout_batch=2)
    author, readers = author_and_readers
    status = do_create_status(author, "soon gone")
    other = do_create_status(readers[0], "stays")
    tasks.fan_out_status(status.id, [])
    tasks.fan_out_status(other.id, [])
    queued = record_batches(monkeypatch, tasks.remove_batch)
    for _ in range(2):
        tasks.remove_status(status.id, author.id, [])
    owners = [author.id, *(r.id for r in readers)]
    assert queued == [owners[2:4], owners[4:]] * 2
    assert [stored(store, o) for o in owners] == [[], [other.id], [], [], [], []]
    tasks.remove_batch(status.id, author.id, owners)  # a batch alone, once more: nothing to undo
    assert stored(store, readers[0].id) == [other.id]


def test_merge_followee_twice_merges_each_post_once(store, author_and_readers):
    author, readers = author_and_readers
    first, second = do_create_status(author, "one"), do_create_status(author, "two")
    newcomer = readers[0]
    for _ in range(2):
        tasks.merge_followee(newcomer.id, author.id)
    assert stored(store, newcomer.id) == [second.id, first.id]


def test_remove_author_twice_leaves_the_others_posts(store, author_and_readers):
    author, readers = author_and_readers
    reader = readers[0]
    theirs = do_create_status(author, "theirs")
    own = do_create_status(reader, "own")
    tasks.push_batch(theirs.id, author.id, [reader.id])
    tasks.push_batch(own.id, reader.id, [reader.id])
    for _ in range(2):
        tasks.remove_author(reader.id, author.id)
    assert stored(store, reader.id) == [own.id]
