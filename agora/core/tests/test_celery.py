"""The Celery settings that make a task in flight when its worker dies run again, soon, on both
brokers; and the retry of a task that met a restarting service (agora/celery.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from celery.exceptions import Retry
from django.db import OperationalError

from agora.celery import app
from agora.config import BASE_DIR, AgoraConfig, ConfigError

SHOW = (
    "import json, django; django.setup(); from agora.celery import app; c = app.conf; "
    "print(json.dumps({k: c[k] for k in ('task_acks_late', 'task_reject_on_worker_lost', "
    "'worker_prefetch_multiplier', 'task_time_limit', 'broker_transport_options', 'task_default_queue')}))"
)


def _conf(**env: str) -> dict:
    import os

    clean = {k: v for k, v in os.environ.items() if not k.startswith("AGORA_")}
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "agora.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_redis_broker_hands_a_dead_workers_task_on_within_minutes():
    conf = _conf(AGORA_BROKER_URL="redis://127.0.0.1:6379/8", AGORA_TASK_QUEUE="site-a")
    assert conf["task_acks_late"] and conf["task_reject_on_worker_lost"]
    assert conf["worker_prefetch_multiplier"] == 1 and conf["task_time_limit"] == 120
    assert conf["task_default_queue"] == "site-a"
    options = conf["broker_transport_options"]
    # not kombu's hour, nor its sweep for such messages every ~100 s
    assert options["visibility_timeout"] == 300
    assert options["unacked_restore_interval"] * options["unacked_restore_throttle"] == 5


def test_rabbitmq_confirms_each_publish():
    conf = _conf(AGORA_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//")
    assert conf["task_reject_on_worker_lost"] and conf["worker_prefetch_multiplier"] == 1
    assert conf["broker_transport_options"] == {"confirm_publish": True}


def test_the_visibility_timeout_must_exceed_twice_the_time_limit():
    AgoraConfig.from_env({"AGORA_TASK_TIME_LIMIT": "100", "AGORA_TASK_VISIBILITY_TIMEOUT": "201"}).check()
    with pytest.raises(ConfigError, match="AGORA_TASK_VISIBILITY_TIMEOUT=200"):
        AgoraConfig.from_env({"AGORA_TASK_TIME_LIMIT": "100", "AGORA_TASK_VISIBILITY_TIMEOUT": "200"}).check()


RUNS: list[int] = []


@app.task(name="tests.flaky_database", bind=True)
def flaky_database(self, fail_times: int) -> int:
    RUNS.append(self.request.retries)
    if self.request.retries < fail_times:
        raise OperationalError("server closed the connection unexpectedly")
    return self.request.retries


def test_a_worker_retries_a_task_that_lost_its_database_connection(monkeypatch):
    # given a task running in a worker (not inline) whose database connection just dropped
    sent: list[dict] = []
    monkeypatch.setattr(flaky_database, "apply_async", lambda *a, **kw: sent.append(kw))
    flaky_database.push_request(id="t1", retries=0, is_eager=False, called_directly=False, delivery_info={})
    try:
        # when it runs, it is sent again with a backoff delay instead of failing for good
        with pytest.raises(Retry):
            flaky_database.run(1)
    finally:
        flaky_database.pop_request()
    assert len(sent) == 1 and 0 <= sent[0]["countdown"] <= 1


def test_inline_a_task_that_lost_its_database_fails_at_once():
    # the embedded profile runs tasks in the request: no retry loop in it
    RUNS.clear()
    with pytest.raises(OperationalError):
        flaky_database.delay(1)
    assert RUNS == [0]


POISON_RUNS: list[str] = []


@app.task(name="tests.poison")
def poison(kind: str) -> None:
    POISON_RUNS.append(kind)
    if kind == "bad":
        raise ValueError("this row can never be processed")


@pytest.fixture
def worker_redis(settings):
    """Deliveries counted on a scratch Redis database, as a worker with AGORA_REDIS_URL counts them."""
    import os
    from dataclasses import replace

    import redis

    url = os.environ.get("AGORA_TEST_TIMELINE_REDIS", "redis://127.0.0.1:6379/13")
    r = redis.Redis.from_url(url)
    try:
        r.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    r.flushdb()
    settings.AGORA = replace(settings.AGORA, redis_url=url)
    POISON_RUNS.clear()
    yield r
    r.flushdb()


def _as_a_worker(task_id: str, kind: str) -> None:
    """Run tests.poison as a worker runs a message it took off the broker (not inline)."""
    from celery.app.trace import build_tracer

    tracer = build_tracer(poison.name, poison, eager=False, propagate=False, app=app)
    tracer(task_id, [kind], {}, {"id": task_id, "retries": 0, "is_eager": False, "delivery_info": {}})


@pytest.mark.django_db
def test_a_task_whose_worker_dies_under_it_every_time_is_dead_lettered_not_run_forever(worker_redis):
    from agora.celery import MAX_DELIVERIES
    from agora.core import outbox

    # given a message handed out MAX_DELIVERIES times, each time its worker died before finishing
    # (kill -9 and the OOM killer leave the count where it was: nothing runs after the process)
    worker_redis.set("agora:deliveries:t-poison:0", MAX_DELIVERIES)
    # when it is handed out once more
    _as_a_worker("t-poison", "kills")
    # then it is not run: it is logged and kept as a dead letter, and its count is gone
    assert POISON_RUNS == []
    assert outbox.status()["dead"] == 1
    assert not worker_redis.exists("agora:deliveries:t-poison:0")


@pytest.mark.django_db
def test_a_task_that_finishes_leaves_no_count_and_one_that_fails_for_good_is_a_dead_letter(worker_redis):
    from agora.core import outbox
    from agora.core.models import OutboxMessage

    _as_a_worker("t-good", "good")
    assert POISON_RUNS == ["good"] and worker_redis.keys("agora:deliveries:*") == []
    assert outbox.status()["dead"] == 0
    # a task that fails with an error no retry mends: run once, then a dead letter (not redelivered)
    _as_a_worker("t-bad", "bad")
    assert POISON_RUNS == ["good", "bad"] and worker_redis.keys("agora:deliveries:*") == []
    assert OutboxMessage.objects.get().calls == [["tests.poison", ["bad"], {}]]
    # `agora outbox --retry-dead` sends it again (here inline, where it fails again: kept for the sweep)
    assert outbox.retry_dead() == 1
