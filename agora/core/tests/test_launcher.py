"""`agora run` (agora/launcher.py): what it starts for which settings, restarts what dies, stops
everything on SIGTERM, wraps every line as JSON, and leaves nothing behind when it is killed."""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time

from agora import launcher
from agora.config import AgoraConfig


def plan(env: dict[str, str], **flags) -> dict[str, list[str]]:
    cfg = AgoraConfig.from_env(env)
    opts = argparse.Namespace(
        host="0.0.0.0",
        port=8000,
        workers=3,
        threads=4,
        celery_concurrency=flags.get("celery_concurrency", cfg.run_celery_concurrency),
        beat=flags.get("beat", cfg.run_beat),
        asgi_port=flags.get("asgi_port", cfg.run_asgi_port),
    )
    return {p.name: p.command for p in launcher.programs(cfg, opts)}


def test_without_a_broker_only_the_web_runs_and_tasks_stay_inline():
    assert list(plan({})) == ["web"]


def test_with_a_broker_it_runs_web_worker_and_beat_and_asgi_when_asked():
    env = {"AGORA_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//", "AGORA_RUN_CELERY_CONCURRENCY": "3"}
    started = plan(env, asgi_port=8001)
    assert list(started) == ["web", "worker", "beat", "asgi"]
    assert (
        " ".join(started["web"]).count("--workers 3") == 1 and started["web"][-1] == "agora.wsgi:application"
    )
    assert "--concurrency 3" in " ".join(started["worker"])
    assert "--interface asgi" in " ".join(started["asgi"]) and "--port 8001" in " ".join(started["asgi"])
    assert list(plan(env, beat=False, celery_concurrency=0)) == ["web"]


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def _lines(out: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_restarts_a_crashed_process_relays_its_lines_as_json_and_stops_the_rest(monkeypatch):
    # given a program that crashes at once and one that logs and runs until stopped
    monkeypatch.setattr(launcher, "RESTART_FIRST", 0.2)
    crashy = launcher.Program("crashy", _python("print('boom', flush=True); raise SystemExit(3)"))
    steady = launcher.Program(
        "steady",
        _python(
            "import json, time; print(json.dumps({'level': 'INFO', 'message': 'hello'}), flush=True); "
            "time.sleep(60)"
        ),
    )
    out = io.StringIO()
    run = launcher.Launcher([crashy, steady], dict(os.environ), out=out)
    thread = threading.Thread(target=run.supervise)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            starts = [r for r in _lines(out) if r["message"] == "started" and r["proc"] == "crashy"]
            if len(starts) >= 3 and any(r.get("message") == "hello" for r in _lines(out)):
                break
            time.sleep(0.1)
    finally:
        run.stopping.set()
        thread.join(30)
    lines = _lines(out)
    # then the crashing program was started again after each exit, with its exit code logged
    exits = [r for r in lines if r["message"] == "exited" and r["proc"] == "crashy"]
    assert len(exits) >= 2 and {r["code"] for r in exits} == {3} and exits[0]["level"] == "ERROR"
    # and a child's text line was wrapped, its JSON line passed through, each tagged with its program
    assert {"message": "boom", "proc": "crashy", "stream": "stdout"}.items() <= lines[
        [r["message"] for r in lines].index("boom")
    ].items()
    assert any(r["message"] == "hello" and r["proc"] == "steady" for r in lines)
    # and on stop the running program was stopped (SIGTERM: code -15)
    assert {"message": "stopped", "proc": "steady", "code": -signal.SIGTERM}.items() <= next(
        r for r in lines if r["message"] == "stopped" and r["proc"] == "steady"
    ).items()
    assert steady.process is not None and steady.process.poll() is not None


def test_children_get_sigterm_when_the_launcher_is_killed(tmp_path):
    # given a launcher (in a process of its own) running a child that writes its pid and sleeps
    pidfile = tmp_path / "child.pid"
    child = f"import os, time; open({str(pidfile)!r}, 'w').write(str(os.getpid())); time.sleep(120)"
    code = (
        "import os, sys; from agora import launcher; "
        f"launcher.Launcher([launcher.Program('sleepy', [sys.executable, '-c', {child!r}])], dict(os.environ))"
        ".run()"
    )
    boss = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not (pidfile.exists() and pidfile.read_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
        child_pid = int(pidfile.read_text())
        # when the launcher is killed outright
        boss.kill()
        boss.wait()
        # then its child is told to stop and goes (no orphan keeps serving)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(child_pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.kill(child_pid, signal.SIGKILL)
            raise AssertionError("the child outlived its launcher")
    finally:
        if boss.poll() is None:
            boss.kill()
