"""Side effects run after the transaction commits, never inside it (Saleor's call_event).

`after_commit(task, *args)` queues a Celery task once the surrounding transaction commits, through
the transactional outbox (agora/core/outbox.py): the call is written in the transaction, so a process
that dies between the commit and the publish loses nothing; the sweep publishes it.
With no broker configured Celery runs tasks eagerly, so in the embedded profile the task runs
inline right after commit, in the same process.

An `Event` lets a lower app announce what happened without importing the apps that react: the
square's timelines and notifications subscribe to what social publishes, notifications to what the
market publishes. Each app declares its events in `<app>/events.py`; subscribers are Celery tasks
taking the event's arguments (ids), subscribed in their app's `AppConfig.ready()`.

`BatchedTask(task, run_many=...)` is a task for a hot path (checkout): queued with the same
`after_commit(batched, *args)`, it costs one Redis call instead of a Celery message, and its calls run
together (see the class).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from celery import shared_task
from django.conf import settings

from agora.celery import TRANSIENT_ERRORS
from agora.core import outbox
from agora.core.luascript import LuaScript
from agora.core.redis import client as redis_client

log = logging.getLogger(__name__)


def after_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    outbox.queue([(task, args, kwargs)])


class Event:
    """Something that happened, published with ids once the write commits."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tasks: list[Any] = []

    def subscribe(self, task: Any) -> None:
        if task not in self.tasks:
            self.tasks.append(task)

    def publish(self, *args: Any) -> None:
        """Queue each subscriber with these arguments after the current transaction commits (one
        outbox row for all of them)."""
        outbox.queue(self.calls(*args))

    def calls(self, *args: Any) -> list[outbox.Call]:
        """What publish queues: each subscriber with these arguments (a fast path writes them into
        its own outbox row, agora/orders/fastpath.py)."""
        return [(task, args, {}) for task in self.tasks]

    def __repr__(self) -> str:
        return f"Event({self.name!r})"


# Append one call, then take the gate if it is free: 1 means "ask for a drain".
_PUSH = LuaScript(
    """
redis.call('RPUSH', KEYS[1], ARGV[1])
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return 1 end
return 0
"""
)


# Trim the batch just run off the head of the list, only if the head is still that batch: a trim sent
# again after a lost reply (the client reconnects once) must not drop the next, unrun batch.
_TRIM = LuaScript(
    """
local head = redis.call('LRANGE', KEYS[1], 0, #ARGV - 1)
if #head ~= #ARGV then return 0 end
for i = 1, #ARGV do
  if head[i] ~= ARGV[i] then return 0 end
end
redis.call('LTRIM', KEYS[1], #ARGV, -1)
return 1
"""
)

# Free the drain lock only if it is still this drain's (it may have expired and been taken since).
_UNLOCK = LuaScript(
    """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
)


def _redis() -> Any:
    """The process's Redis client (agora/core/redis.py), or None in the embedded profile."""
    url = settings.AGORA.redis_url
    return redis_client(url) if url else None


class BatchedTask:
    """A task whose calls are cheap to queue and run in batches.

    Publishing a Celery message costs about 460 us of CPU here, a third of a whole checkout; appending
    a call's JSON arguments to a Redis list with one Lua call about 30 us (bench/market/checkout_cpu.py,
    docs/performance.md). The first call of a quiet spell also takes a gate (SET NX with a TTL) and
    asks for a drain of the list:
    - with a broker, `core.drain_batch` on a worker `window` seconds later, so a burst's calls arrive
      as one batch; the drain frees the gate before each pop, so a call made after its last pop takes
      the gate and asks for the next drain: no call is left behind;
    - without one (tasks run inline), at once, in that request, with whatever gathered since the last
      drain; the gate is held `window` seconds, so a burst is drained about once per window. What
      gathered after a drain waits for the next call after the gate expires, or for a reader that
      must see it (`drain_now`: the notification lists call it).
    A drain hands every batch of calls to `run_many(calls)` (each call the list of its arguments), which
    must be idempotent like any task. A batch leaves the list only once it has run, and one drain at a
    time reads it (a lock that expires after the task time limit): a drain that fails, or whose
    process dies mid-batch (kill -9, the OOM killer), leaves its calls at the head of the list for the
    next drain, which runs them again.
    With no Redis (the embedded profile) a call runs at once as `task` itself.
    """

    registry: ClassVar[dict[str, BatchedTask]] = {}
    BATCH = 500
    MAX_TRIES = 3  # tries of one call (its drain died each time) before it is set aside

    def __init__(
        self, task: Any, *, run_many: Callable[[list[list[Any]]], None], window: float = 1.0
    ) -> None:
        self.task, self.run_many, self.window = task, run_many, window
        self.name = outbox.BATCHED_PREFIX + task.name  # as the outbox names it
        self.key = f"agora:batched:{task.name}"
        self.gate = f"{self.key}:gate"
        self.lock = f"{self.key}:draining"
        self.tries = f"{self.key}:tries"  # drains that started on the head of the list and did not finish
        BatchedTask.registry[task.name] = self

    def delay(self, *args: Any) -> None:
        client = _redis()
        if client is None:
            self.task.delay(*args)
            return
        inline = settings.CELERY_TASK_ALWAYS_EAGER
        # Inline, the gate paces the drains; with a worker, the drain frees it (the TTL only covers a
        # drain that never ran).
        hold_ms = max(1, int(1000 * (self.window if inline else max(30.0, 10 * self.window))))
        if _PUSH(client, [self.key, self.gate], [json.dumps(args), hold_ms]):
            if inline:
                self.drain()
            else:
                drain_batch.apply_async((self.task.name,), countdown=self.window)

    def drain(self, *, free_gate: bool = False) -> int:
        """Run every queued call, in batches; how many ran (0 while another drain holds the list)."""
        client = _redis()
        if client is None:
            return 0
        token = uuid.uuid4().hex
        # Longer than a drain can run on a worker (it is killed at the time limit), so two drains never
        # read the list at once, and a dead drain's lock frees itself.
        hold_ms = (settings.AGORA.task_time_limit + 10) * 1000
        if not client.set(self.lock, token, nx=True, px=hold_ms):
            if free_gate:  # a worker's drain: look again soon (the holder may have died mid-batch)
                drain_batch.apply_async((self.task.name,), countdown=max(1.0, self.window))
            return 0
        done = 0
        try:
            while True:
                if free_gate:
                    client.delete(self.gate)
                # Read, run, then trim: producers only append at the tail and no other drain reads
                # the head, so the calls trimmed are the calls run.
                raw = client.lrange(self.key, 0, self.BATCH - 1)
                if not raw:
                    break
                done += self._run(client, raw)
        finally:
            _UNLOCK(client, [self.lock], [token])
        return done

    def _run(self, client: Any, raw: list[bytes]) -> int:
        """Run the batch at the head of the list, then trim it; how many calls ran.

        A batch that raised (an error that is not a service away), or whose earlier drain died
        mid-way (the head's try count, kept in Redis, is past one), runs one call at a time, so
        that one bad call does not hold up the list: a call that fails, or that was tried
        MAX_TRIES times (it kills the drain), is set aside in the dead list (`<key>:dead`, logged)
        and the rest run. A service away (TRANSIENT_ERRORS) leaves the batch for the next drain."""
        tries = client.incr(self.tries)
        client.expire(self.tries, 24 * 3600)
        if tries == 1:
            try:
                self.run_many([json.loads(r) for r in raw])
            except TRANSIENT_ERRORS:
                client.delete(self.tries)  # not the batch's fault: the next drain runs it whole
                raise
            except Exception:
                log.exception("%s: a batch of %d failed; running its calls one by one", self.key, len(raw))
                tries = client.incr(self.tries)
            else:
                _TRIM(client, [self.key], raw)
                client.delete(self.tries)
                return len(raw)
        ran = 0
        for n, call in enumerate(raw):
            if n:
                tries = client.incr(self.tries)
            if tries > self.MAX_TRIES:
                self._set_aside(client, call, f"tried {tries - 1} times: its drain died each time")
            else:
                try:
                    self.run_many([json.loads(call)])
                    ran += 1
                except TRANSIENT_ERRORS:
                    raise  # the head's count stays: this call's tries go on counting
                except Exception as exc:
                    log.exception("%s: a call failed", self.key)
                    self._set_aside(client, call, f"failed: {type(exc).__name__}: {exc}")
            _TRIM(client, [self.key], [call])
            client.delete(self.tries)
        return ran

    def _set_aside(self, client: Any, call: bytes, reason: str) -> None:
        log.error(
            "%s: call %s set aside in %s:dead (%s)", self.key, call.decode(errors="replace"), self.key, reason
        )
        client.rpush(f"{self.key}:dead", call)

    def drain_now(self) -> None:
        """For a reader that must see every call made so far: drain if no worker will (no broker)."""
        if settings.CELERY_TASK_ALWAYS_EAGER:
            self.drain()


@shared_task(name="core.drain_batch")
def drain_batch(name: str) -> int:
    return BatchedTask.registry[name].drain(free_gate=True)
