"""Where the CPU of one request goes, by process, while load runs: the server (granian workers),
Redis, PostgreSQL and the load generator. On a 2-core machine throughput is total CPU per request,
so this says what to make cheaper.

    .venv/bin/python bench/square/cpu_split.py [--threads 2] [--workers 2] [--seconds 10]

Needs the data of bench/square/generate.py. Reads /proc (user + system time) before and after each run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from bench.square import load  # noqa: E402
from bench.square import run as square  # noqa: E402


def cpu_seconds(match) -> float:
    """user+system CPU seconds of every process for which match(pid, ppid, name) is true."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        if match(int(stat.parent.name), int(fields[1]), name):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    opts = parser.parse_args()
    server = square.start_server(opts.workers, opts.threads)
    tokens = json.loads(square.DATA.read_text())["readers"]
    meters = {
        "server": lambda pid, ppid, name: server.pid in (pid, ppid),
        "redis": lambda pid, ppid, name: name.startswith("redis-server"),
        "postgres": lambda pid, ppid, name: name.startswith("postgres"),
    }
    try:
        load.run("warm-up", square.HOST, square.PORT, "/api/v1/timelines/home", tokens, seconds=8)
        for label, path, who in (
            ("trivial /api/v1/instance", "/api/v1/instance", [None]),
            ("home timeline", "/api/v1/timelines/home", tokens),
        ):
            before = {k: cpu_seconds(m) for k, m in meters.items()} | {"load generator": time.process_time()}
            result = load.run(label, square.HOST, square.PORT, path, who, seconds=opts.seconds)
            after = {k: cpu_seconds(m) for k, m in meters.items()} | {"load generator": time.process_time()}
            per = {k: (after[k] - before[k]) * 1000 / result.requests for k in before}
            parts = ", ".join(f"{k} {v:.3f}" for k, v in per.items())
            print(
                f"{label:26} {result.rps:6.0f} req/s, p99 {result.pct(0.99):5.1f} ms | ms of CPU per request: "
                f"{parts}; total {sum(per.values()):.3f}"
            )
    finally:
        square.stop(server)


if __name__ == "__main__":
    main()
