"""What the fault benches share: their production profile, and starting, finding and killing the
processes they put faults into (Celery workers, granian).

Their own resources, beside other developers' on the same machine: PostgreSQL database
`agora_durable` (migrated on first use), Redis database 7 (cache, timelines), Redis database 8 as the
Redis broker, and on RabbitMQ (vhost /) queues named `durable.*`. Override with AGORA_* variables.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BROKERS = {
    "redis": "redis://127.0.0.1:6379/8",
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
}
QUEUE = "durable.faults"


def fault_env(broker: str, **extra: str) -> dict[str, str]:
    """The environment of this bench and of every process it starts."""
    env = {
        "AGORA_DATABASE_URL": os.environ.get(
            "AGORA_DATABASE_URL", "postgres://root@127.0.0.1:5432/agora_durable"
        ),
        "AGORA_REDIS_URL": os.environ.get("AGORA_REDIS_URL", "redis://127.0.0.1:6379/7"),
        "AGORA_BROKER_URL": BROKERS.get(broker, broker),
        "AGORA_TASK_QUEUE": QUEUE,
        "AGORA_DEBUG": "0",
        "AGORA_SECRET_KEY": "fault-bench-secret-key-not-for-production-0123456789abcdefghij",
        "AGORA_PAYMENT_SANDBOX": "1",
        # Load from one IP: lift the API rate limits.
        "AGORA_RATE_LIMIT_PER_TOKEN": "1000000000",
        "AGORA_RATE_LIMIT_PER_IP": "1000000000",
        "DJANGO_SETTINGS_MODULE": "agora.settings",
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    return env


def setup(env: dict[str, str]) -> None:
    """Django in this process, on the bench's database (created and migrated when needed)."""
    os.environ.update(env)
    name = env["AGORA_DATABASE_URL"].rsplit("/", 1)[1]
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "root", name], capture_output=True, check=False
    )  # already there: fine
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def purge_queue(env: dict[str, str]) -> None:
    """Empty the bench's queue (and, on Redis, the broker's unacknowledged set) before a run."""
    from agora.celery import app

    with app.connection_for_write() as conn:
        channel = conn.default_channel
        with contextlib.suppress(Exception):  # no queue yet: nothing to purge
            channel.queue_purge(QUEUE)
    if env["AGORA_BROKER_URL"].startswith("redis://"):
        import redis

        r = redis.Redis.from_url(env["AGORA_BROKER_URL"])
        r.delete("unacked", "unacked_index", "unacked_mutex")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    """Live direct children of a process (from /proc; a killed child not yet reaped does not count)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its closing parenthesis
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == pid and state != "Z":
            out.append(int(entry.name))
    return sorted(out)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def kill9(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def stop(proc: subprocess.Popen, grace: float = 15.0) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def start_worker(
    env: dict[str, str], *, concurrency: int, log: Path, name: str = "faults", beat: bool = False
) -> subprocess.Popen:
    """A Celery worker on the bench's queue, in a process group of its own; returns once it is ready.
    With `beat`, it also runs the timed jobs (-B), as `agora run` does in a beat process."""
    cmd = [
        sys.executable, "-m", "celery", "-A", "agora", "worker",
        "--concurrency", str(concurrency), "--loglevel", "INFO", "--hostname", f"{name}-{time.time_ns()}@%h",
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    if beat:
        cmd += ["-B", "--schedule", f"/tmp/agora-faults-beat-{os.getpid()}"]
    out = log.open("ab")
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True)
    wait_for(lambda: b" ready." in log.read_bytes()[-20000:] or proc.poll() is not None, 90, "worker ready")
    if proc.poll() is not None:
        raise RuntimeError(f"the worker exited at start; see {log}")
    # the pool processes are up once the main process has forked them
    wait_for(lambda: len(children(proc.pid)) >= concurrency, 30, "pool processes")
    return proc


def start_granian(
    env: dict[str, str], *, workers: int, threads: int, port: int, log: Path, target: str = ""
) -> subprocess.Popen:
    """granian serving the site (or `target`, a WSGI application with a fault put in it)."""
    from agora.cli import granian_command, make_served_folders
    from agora.config import AgoraConfig

    cfg = AgoraConfig.from_env(env)
    make_served_folders(cfg)  # a fresh clone has none, and granian refuses to start without them
    cmd = granian_command(cfg, host="127.0.0.1", port=port, workers=workers, threads=threads)
    if target:
        cmd[-1] = target
    out = log.open("ab")
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True)

    def answers() -> bool:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=1).read()
            return True
        except OSError:
            return proc.poll() is not None

    wait_for(answers, 90, "granian answering")
    if proc.poll() is not None:
        raise RuntimeError(f"granian exited at start; see {log}")
    wait_for(lambda: len(children(proc.pid)) >= workers, 30, "granian workers")
    return proc


def wait_for(ready: Callable[[], bool], seconds: float, what: str) -> float:
    """Poll until `ready()`; the seconds it took. Raises after `seconds`."""
    t0 = time.monotonic()
    while not ready():
        if time.monotonic() - t0 > seconds:
            raise TimeoutError(f"{what}: not within {seconds} s")
        time.sleep(0.02)
    return time.monotonic() - t0
