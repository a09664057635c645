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
