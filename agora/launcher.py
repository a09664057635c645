"""`agora run`: the production launcher. One command starts and supervises every process of a site.

    agora run [--host H] [--port P] [--workers N] [--threads N] [--celery-concurrency N]
              [--no-beat] [--asgi-port P] [--dry-run]

It starts, each in a process group of its own:
- web: granian (WSGI) with AGORA_WEB_WORKERS workers, as `agora serve` does; granian respawns a
  worker that dies, this launcher restarts granian itself;
- worker: a Celery worker with AGORA_RUN_CELERY_CONCURRENCY pool processes (with a broker only:
  without one, tasks run inline in the web process);
- beat: Celery beat, the timed jobs (with a broker and AGORA_RUN_BEAT; one per deployment);
- asgi: granian (ASGI) on AGORA_RUN_ASGI_PORT for WebSockets, when that port is set.

Supervision: a process that exits is started again, after 1 s, doubling while it keeps dying within
30 s of its start, up to 30 s. SIGTERM or SIGINT stops them all: SIGTERM to each main process (Celery
finishes its running tasks, granian its requests), then SIGKILL to whatever is left after the grace
period. Each child gets SIGTERM if this launcher itself dies (Linux PR_SET_PDEATHSIG), so no process
outlives it.

Logs: every line on stdout is a JSON object. Children run with AGORA_LOG_JSON=1 (Django's and
Celery's loggers write JSON); any other line a child prints (granian's own log, a banner, a crash) is
wrapped as {"message": <the line>, "proc": <name>, "stream": "stdout"|"stderr", ...}, and the
launcher's own events ("started", "exited", "restarting") have the same shape.
docs/operations.md says how to run it under systemd and in a container.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from agora.cli import granian_command, make_served_folders
from agora.config import BASE_DIR, AgoraConfig, env_name
from agora.core.jsonlog import record

GRACE_SECONDS = 30.0  # Celery's warm shutdown waits for running tasks (each under its time limit)
RESTART_FIRST = 1.0
RESTART_MAX = 30.0
HEALTHY_AFTER = 30.0  # a process that ran this long is restarted after RESTART_FIRST again
# Run the command with SIGTERM promised on the launcher's death: prctl(PR_SET_PDEATHSIG) survives
# exec. If the launcher died before the prctl call, the parent is already someone else: stop.
_DEATH_SIGNAL = (
    "import ctypes, os, signal, sys; "
    "ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM); "
    "os.getppid() == int(sys.argv[1]) or sys.exit(1); "
    "os.execv(sys.argv[2], sys.argv[2:])"
)


@dataclass
class Program:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    failures: int = 0  # consecutive exits within HEALTHY_AFTER of a start
    restart_at: float | None = None
    readers: list[threading.Thread] = field(default_factory=list)


def programs(cfg: AgoraConfig, opts: argparse.Namespace) -> list[Program]:
    """What to run for these settings and flags."""
    web = granian_command(cfg, host=opts.host, port=opts.port, workers=opts.workers, threads=opts.threads)
    out = [Program("web", web)]
    python = sys.executable
    if cfg.broker_url and opts.celery_concurrency > 0:
        worker = [
            python,
            "-m",
            "celery",
            "-A",
            "agora",
            "worker",
            "--concurrency",
            str(opts.celery_concurrency),
        ]
        out.append(
            Program("worker", [*worker, "--loglevel", cfg.log_level.upper(), "--hostname", "agora@%h"])
        )
    if cfg.broker_url and opts.beat:
        schedule = Path(BASE_DIR) / "var" / "celerybeat-schedule"
        beat = [python, "-m", "celery", "-A", "agora", "beat", "--schedule", str(schedule)]
        out.append(Program("beat", [*beat, "--loglevel", cfg.log_level.upper()]))
    if opts.asgi_port:
        asgi = [python, "-m", "granian", "--interface", "asgi", "--host", opts.host]
        asgi += ["--port", str(opts.asgi_port), "--workers", "1", "--respawn-failed-workers"]
        out.append(Program("asgi", [*asgi, "agora.asgi:application"]))
    return out


class Launcher:
    def __init__(self, programs: Sequence[Program], env: dict[str, str], out: IO[str] = sys.stdout) -> None:
        self.programs = list(programs)
        self.env = env
        self.out = out
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def log(self, message: str, *, level: str = "INFO", **fields: Any) -> None:
        self.emit(record(message, level=level, logger="agora.launcher", **fields))

    def emit(self, line: dict) -> None:
        text = json.dumps(line, default=str, ensure_ascii=False)
        with self.lock:
            self.out.write(text + "\n")
            self.out.flush()

    def start(self, program: Program) -> None:
        command = [sys.executable, "-c", _DEATH_SIGNAL, str(os.getpid()), *program.command]
        program.process = subprocess.Popen(  # noqa: S603  (our own command lines, no shell)
            command,
            env=self.env,
            cwd=BASE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            bufsize=1,
            start_new_session=True,
        )
        program.started_at = time.monotonic()
        program.restart_at = None
        program.readers = [
            threading.Thread(target=self._relay, args=(program, stream, name), daemon=True)
            for stream, name in ((program.process.stdout, "stdout"), (program.process.stderr, "stderr"))
        ]
        for reader in program.readers:
            reader.start()
        self.log("started", proc=program.name, child_pid=program.process.pid, command=program.command)

    def _relay(self, program: Program, stream: IO[str] | None, name: str) -> None:
        """A child's lines, as JSON: its own JSON lines tagged with the program, other lines wrapped."""
        assert stream is not None
        child_pid = program.process.pid if program.process else None
        for raw in stream:
            line = raw.rstrip("\n")
            if not line.strip():
                continue
            parsed = None
            if line.startswith("{"):
                try:
                    parsed = json.loads(line)
                except ValueError:
                    parsed = None
            if isinstance(parsed, dict):
                self.emit({**parsed, "proc": program.name})
            else:
                self.emit(
                    record(
                        line, logger=f"agora.{program.name}", proc=program.name, stream=name, pid=child_pid
                    )
                )

    def run(self) -> int:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.stopping.set())
        return self.supervise()

    def supervise(self) -> int:
        """Start everything, restart what exits, until `stopping` is set; then stop everything."""
        for program in self.programs:
            self.start(program)
        while not self.stopping.wait(0.2):
            self._tend()
        return self.stop()

    def _tend(self) -> None:
        now = time.monotonic()
        for program in self.programs:
            process = program.process
            if process is None or process.poll() is None:
                if program.restart_at is not None and now >= program.restart_at:
                    self.start(program)
                continue
            ran = now - program.started_at
            program.failures = 0 if ran >= HEALTHY_AFTER else program.failures + 1
            delay = min(RESTART_MAX, RESTART_FIRST * 2 ** max(0, program.failures - 1))
            self.log(
                "exited",
                level="ERROR",
                proc=program.name,
                child_pid=process.pid,
                code=process.returncode,
                ran_seconds=round(ran, 1),
                restart_in=delay,
            )
            program.process = None
            program.restart_at = now + delay

    def stop(self) -> int:
        self.log("stopping", grace_seconds=GRACE_SECONDS)
        running = [p for p in self.programs if p.process is not None and p.process.poll() is None]
        for program in running:
            assert program.process is not None
            # The main process only: Celery's and granian's own children are theirs to stop.
            program.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for program in running:
            assert program.process is not None
            try:
                program.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.log("killed after the grace period", level="WARNING", proc=program.name)
                os.killpg(program.process.pid, signal.SIGKILL)
                program.process.wait()
            self.log("stopped", proc=program.name, code=program.process.returncode)
        for program in running:
            for reader in program.readers:
                reader.join(timeout=1)
        return 0


def main(args: Sequence[str]) -> int:
    cfg = AgoraConfig.from_env()
    cfg.check()  # refuse once here rather than in every child, restarted forever
    parser = argparse.ArgumentParser(
        prog="agora run",
        description="Start and supervise the web workers, Celery worker and beat, and the ASGI process.",
    )
    parser.add_argument("--host", default=cfg.web_host, help="default AGORA_WEB_HOST or 127.0.0.1")
    port = int(os.environ.get("PORT", cfg.web_port))
    parser.add_argument("--port", type=int, default=port, help="default $PORT, AGORA_WEB_PORT or 8000")
    parser.add_argument("--workers", type=int, default=cfg.web_workers, help="granian WSGI workers")
    parser.add_argument("--threads", type=int, default=cfg.web_threads, help="threads per web worker")
    parser.add_argument(
        "--celery-concurrency",
        type=int,
        default=cfg.run_celery_concurrency,
        help="Celery pool processes; 0: no worker (default AGORA_RUN_CELERY_CONCURRENCY or 2)",
    )
    parser.add_argument(
        "--no-beat", dest="beat", action="store_false", default=cfg.run_beat, help="no Celery beat"
    )
    parser.add_argument(
        "--asgi-port", type=int, default=cfg.run_asgi_port, help="ASGI (WebSocket) port; 0: none"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the commands and stop")
    opts = parser.parse_args(args)
    make_served_folders(cfg)
    (Path(BASE_DIR) / "var").mkdir(exist_ok=True)
    env = dict(os.environ)
    env.setdefault(env_name("log_json"), "1")
    # The children read the settings themselves: AGORA_WEB_HOST/PORT say where this site is served.
    env[env_name("web_host")], env[env_name("web_port")] = opts.host, str(opts.port)
    env["PYTHONUNBUFFERED"] = "1"  # lines reach the log as they are written, not at exit
    plan = programs(cfg, opts)
    if opts.dry_run:
        for program in plan:
            print(f"{program.name}: {' '.join(program.command)}")
        return 0
    return Launcher(plan, env).run()
