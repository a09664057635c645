"""BatchedTask: calls queued with one Redis call, run together, none lost (production profile only)."""

from __future__ import annotations

import time

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import OperationalError

from agora.core import events
from agora.core.events import BatchedTask

needs_redis = pytest.mark.skipif(
    not isinstance(caches["default"], RedisCache), reason="BatchedTask queues on Redis (production profile)"
)


class _Task:
    def __init__(self, name: str) -> None:
        self.name = name
        self.delayed: list[tuple] = []

    def delay(self, *args):
        self.delayed.append(args)


@pytest.fixture
def batched(request):
    ran: list[list[list]] = []
    task = _Task(f"test.{request.node.name}")
    return BatchedTask(task, run_many=ran.append, window=30.0), ran


@needs_redis
def test_inline_the_first_call_runs_at_once_and_a_burst_waits_for_one_drain(batched, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no broker: tasks run in the request
    queue, ran = batched
    # when a first call, then a burst while the gate is held
    queue.delay("a", [[1, 2]])
    for n in range(3):
        queue.delay("b", [[n]])
    # then the first ran alone, at once; the burst waits, and a reader's drain runs it as one batch
    assert ran == [[["a", [[1, 2]]]]]
    queue.drain_now()
    assert ran[1] == [["b", [[0]]], ["b", [[1]]], ["b", [[2]]]]
    assert queue.drain() == 0  # nothing twice


@needs_redis
def test_with_a_worker_a_burst_asks_for_one_drain_and_a_later_call_for_the_next(
    batched, settings, monkeypatch
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a broker: drains run on a worker
    asked: list[tuple] = []
    monkeypatch.setattr(events.drain_batch, "apply_async", lambda args, countdown: asked.append(args))
    queue, ran = batched
    for n in range(5):
        queue.delay("x", [[n]])
    assert len(asked) == 1 and ran == []  # one message for the burst
    # the worker's drain runs them all in order, freeing the gate
    assert events.drain_batch(*asked[0]) == 5
    assert [call[1][0][0] for call in ran[0]] == [0, 1, 2, 3, 4]
    # a call after the drain asks for the next one: nothing waits behind a drain that has finished
    queue.delay("x", [[5]])
    assert len(asked) == 2


@needs_redis
def test_a_batch_that_fails_is_put_back_for_the_next_drain(batched, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queue, ran = batched
    client = events._redis()
    for n in range(3):
        client.rpush(queue.key, f'["x", [[{n}]]]')

    def fail(calls):
        raise OperationalError("database down")

    queue.run_many = fail
    with pytest.raises(OperationalError):
        queue.drain()
    queue.run_many = ran.append
    assert queue.drain() == 3 and [c[1][0][0] for c in ran[0]] == [0, 1, 2]


def test_without_redis_a_call_is_the_task_itself(monkeypatch):
    monkeypatch.setattr(events, "_redis", lambda: None)
    task = _Task("test.no_redis")
    BatchedTask(task, run_many=lambda calls: None).delay("k", [[1]])
    assert task.delayed == [("k", [[1]])]


@needs_redis
def test_calls_of_a_drain_that_died_mid_batch_run_with_the_next_drain(batched, settings, monkeypatch):
    # given calls queued, and a drain that took the list and died (kill -9) before trimming them: its
    # lock is still there, unreleased
    settings.CELERY_TASK_ALWAYS_EAGER = False
    asked: list[tuple] = []
    monkeypatch.setattr(events.drain_batch, "apply_async", lambda args, countdown: asked.append(args))
    queue, ran = batched
    client = events._redis()
    for n in range(3):
        client.rpush(queue.key, f'["x", [[{n}]]]')
    client.set(queue.lock, "a dead drain", px=300)
    # when the redelivered drain comes while the lock holds: it runs nothing, and asks to look again
    assert events.drain_batch(queue.task.name) == 0 and ran == [] and len(asked) == 1
    # then once the dead drain's lock has expired, every call runs: none was lost with the drain
    time.sleep(0.4)
    assert events.drain_batch(*asked[0]) == 3 and [c[1][0][0] for c in ran[0]] == [0, 1, 2]
    assert client.llen(queue.key) == 0


@needs_redis
def test_a_trim_sent_twice_does_not_drop_the_next_batch(batched):
    # a drain's trim whose reply was lost is sent again on a new connection (agora/core/redis.py)
    queue, _ran = batched
    client = events._redis()
    calls = [f'["x", [[{n}]]]' for n in range(4)]
    client.rpush(queue.key, *calls)
    assert events._TRIM(client, [queue.key], calls[:2]) == 1
    assert events._TRIM(client, [queue.key], calls[:2]) == 0  # the head is the next batch now
    assert [c.decode() for c in client.lrange(queue.key, 0, -1)] == calls[2:]


@needs_redis
def test_one_bad_call_is_set_aside_and_the_rest_of_its_batch_runs(batched, settings):
    # given a batch with one call that fails every time (a bad row), between two good ones
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queue, ran = batched
    client = events._redis()
    calls = [f'["x", [[{n}]]]' for n in range(3)]
    client.rpush(queue.key, *calls)

    def run_many(batch):
        if any(call[1][0][0] == 1 for call in batch):
            raise ValueError("bad row")
        ran.append(batch)

    queue.run_many = run_many
    # when it is drained: the batch fails, then its calls run one by one
    assert queue.drain() == 2
    # then the good calls ran once each, the bad one is in the dead list, and nothing blocks the list
    assert [c[0][1][0][0] for c in ran] == [0, 2]
    assert [c.decode() for c in client.lrange(f"{queue.key}:dead", 0, -1)] == [calls[1]]
    assert client.llen(queue.key) == 0 and not client.exists(queue.tries)
    # and the next calls run as one batch again
    client.rpush(queue.key, calls[0], calls[2])
    assert queue.drain() == 2 and len(ran[-1]) == 2


@needs_redis
def test_a_call_whose_drain_dies_every_time_is_set_aside_after_max_tries(batched, settings):
    # given calls whose head killed its drain (kill -9, the OOM killer) MAX_TRIES times: the head's
    # try count is left where each dead drain took it
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queue, ran = batched
    client = events._redis()
    calls = [f'["x", [[{n}]]]' for n in range(3)]
    client.rpush(queue.key, *calls)
    client.set(queue.tries, BatchedTask.MAX_TRIES)
    # when the next drain comes: the head is set aside without running, the others run
    assert queue.drain() == 2
    assert [c[0][1][0][0] for c in ran] == [1, 2]
    assert [c.decode() for c in client.lrange(f"{queue.key}:dead", 0, -1)] == [calls[0]]
    assert client.llen(queue.key) == 0


@needs_redis
def test_a_drain_that_died_once_runs_the_batch_one_call_at_a_time(batched, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queue, ran = batched
    client = events._redis()
    client.rpush(queue.key, *[f'["x", [[{n}]]]' for n in range(3)])
    client.set(queue.tries, 1)  # a drain started on this head and died
    assert queue.drain() == 3 and [len(b) for b in ran] == [1, 1, 1]
    assert not client.exists(queue.tries) and client.llen(f"{queue.key}:dead") == 0


@needs_redis
def test_a_service_away_leaves_the_batch_whole_for_the_next_drain(batched, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queue, ran = batched
    client = events._redis()
    client.rpush(queue.key, *[f'["x", [[{n}]]]' for n in range(3)])

    def down(batch):
        raise OperationalError("the database is restarting")

    queue.run_many = down
    with pytest.raises(OperationalError):
        queue.drain()
    assert client.llen(queue.key) == 3 and not client.exists(queue.tries)
    queue.run_many = ran.append
    assert queue.drain() == 3 and len(ran) == 1 and client.llen(f"{queue.key}:dead") == 0
