"""The fault benches as a test group (marker `faults`), smaller than their defaults, on the production
profile: PostgreSQL (AGORA_DATABASE_URL, or the database agora_durable), Redis (AGORA_REDIS_URL, or
database 7; database 8 as the Redis broker) and RabbitMQ on 127.0.0.1:5672 when it answers. They
kill processes and drop connections, so they run only when asked:

    AGORA_FAULT_TESTS=1 .venv/bin/pytest -q -s -m faults bench/faults

Each runs its script and fails when the script's assertions do (-s shows what it measured).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(os.environ.get("AGORA_FAULT_TESTS") != "1", reason="set AGORA_FAULT_TESTS=1"),
]


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def run(script: str, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(HERE.parents[1])}
    result = subprocess.run(
        [sys.executable, str(HERE / script), *args], env=env, capture_output=True, text=True, timeout=600
    )
    print(result.stdout, result.stderr[-3000:] if result.returncode else "", sep="\n")
    assert result.returncode == 0 and "result: ok" in result.stdout, result.stdout + result.stderr[-3000:]


@pytest.mark.parametrize("broker", ["redis", "rabbitmq"])
@pytest.mark.parametrize("kill", ["worker", "children"])
def test_fan_out_survives_a_killed_worker(broker, kill):
    if broker == "rabbitmq" and not _answers(5672):
        pytest.skip("no RabbitMQ on 127.0.0.1:5672")
    run("fanout_kill.py", "--broker", broker, "--kill", kill, "--followers", "2000", "--subscribers", "400")


def test_posts_survive_web_workers_killed_between_commit_and_publish():
    run("post_kill.py", "--seconds", "10", "--die-one-in", "6")


def test_checkout_survives_a_killed_web_worker():
    run("checkout_kill.py", "--buyers", "30", "--stock", "150", "--kill-at", "2")


@pytest.mark.parametrize(
    "fault",
    [
        ["pg-terminate"],
        ["pg-terminate", "--quiet", "--seconds", "16"],
        ["pg-outage"],
        ["redis-kill", "--flush"],
    ],
)
def test_the_site_recovers_from_dropped_connections(fault):
    run("restart.py", "--fault", *fault)
