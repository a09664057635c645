"""Square benchmark on the production profile: granian (2 WSGI workers) + PostgreSQL + Redis + a Celery
worker, against the data from generate.py.

1. Home timeline reads at 32 connections (2,000 different readers, each following 3 celebrities whose
   posts are merged at read), against a trivial API endpoint (/api/v1/instance) in the same run.
2. Post-to-visibility: an author with 100, 10k and 100k followers posts through the API; we time
   until the post is in every active follower's stored timeline (fan-out) or, for the celebrity,
   until a follower's home read shows it (merged at read).

    .venv/bin/python bench/square/run.py [--seconds 40 --rounds 4]

Prints the numbers, writes bench/results/square.json and bench/results/square.png.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from bench.square import load  # noqa: E402
from bench.square.env import BENCH_ENV, setup  # noqa: E402

HOST = "127.0.0.1"
PORT = 0  # chosen at start: a free port (other benchmarks run beside this one)
DATA = Path("/tmp/agora-bench-square.json")
RESULTS = ROOT / "bench" / "results"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(workers: int, threads: int, backpressure: int | None = None) -> subprocess.Popen:
    global PORT
    PORT = free_port()
    env = {**os.environ, **BENCH_ENV}
    # Threads per worker overlap waits on PostgreSQL and Redis (each holds a connection). No --backpressure:
    # with it granian left some keep-alive connections unserved for the whole run (10 s latencies).
    cmd = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        HOST,
        "--port",
        str(PORT),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
    ]
    if backpressure:
        cmd += ["--backpressure", str(backpressure)]
    cmd.append("agora.wsgi:application")
    proc = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    for _ in range(100):
        if proc.poll() is not None:
            raise RuntimeError("granian exited at start (port taken?)")
        try:
            urllib.request.urlopen(f"http://{HOST}:{PORT}/api/v1/instance", timeout=1).read()
            return proc
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("granian did not start")


def start_worker() -> subprocess.Popen:
    env = {**os.environ, **BENCH_ENV}
    cmd = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "agora",
        "worker",
        "--concurrency",
        "2",
        "--loglevel",
        "WARNING",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    proc = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    time.sleep(4)
    return proc


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def api(method: str, path: str, token: str, body: dict | None = None) -> dict:
    req = urllib.request.Request(
        f"http://{HOST}:{PORT}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def fanout_probe(label: str, author_id: int, token: str, reader_tokens: list[str]) -> dict:

    from agora.feeds.fanout import active_cutoff, is_celebrity
    from agora.feeds.store import _member, get_store
    from agora.social.models import Follow

    store = get_store()
    followers = list(
        Follow.objects.filter(
            followee_id=author_id, follower__last_active_at__gte=active_cutoff()
        ).values_list("follower_id", flat=True)
    )
    celebrity = is_celebrity(Follow.objects.filter(followee_id=author_id).count())
    # The stored timelines the post must reach, found before the clock starts (one EXISTS each,
    # pipelined: one by one they took 1.2 s of the measured time for 9,024 followers here).
    pending = []
    if not celebrity:
        pipe = store.r.pipeline(transaction=False)  # type: ignore[attr-defined]
        for f in followers:
            pipe.exists(store.key(f))  # type: ignore[attr-defined]
        pending = [f for f, found in zip(followers, pipe.execute(), strict=True) if found]
    checked = len(pending)
    t0 = time.perf_counter()
    status = api("POST", "/api/v1/statuses", token, {"status": f"probe {label} #bench {time.time()}"})
    t_post = time.perf_counter() - t0
    sid = int(status["id"])
    member = _member((sid, author_id))
    if celebrity:
        # merged at read: ask a few followers' home timelines until all show it
        left = list(reader_tokens)
        while left:
            left = [
                t
                for t in left
                if str(sid) not in [s["id"] for s in api("GET", "/api/v1/timelines/home?limit=5", t)]
            ]
            if time.perf_counter() - t0 > 30:
                break
        checked = len(reader_tokens)
    else:
        r = store.r  # type: ignore[attr-defined]
        while pending and time.perf_counter() - t0 < 60:
            pipe = r.pipeline(transaction=False)
            for f in pending:
                pipe.zscore(store.key(f), member)  # type: ignore[attr-defined]
            pending = [f for f, score in zip(pending, pipe.execute(), strict=True) if score is None]
            if pending:
                time.sleep(0.005)
    visible = time.perf_counter() - t0
    return {
        "author": label,
        "followers": len(followers),
        "timelines_checked": checked,
        "celebrity": celebrity,
        "post_request_s": round(t_post, 3),
        "visible_everywhere_s": round(visible, 3),
        "missing": len(pending) if not celebrity else 0,
    }


def chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
    names = [r["name"] for r in results["load"]]
    a.bar(names, [r["rps"] for r in results["load"]], color=["#9aa4b2", "#e8590c"])
    a.set_ylabel("requests / s (32 connections)")
    for i, r in enumerate(results["load"]):
        a.text(
            i,
            r["rps"],
            f"{r['rps']:.0f}/s\np50 {r['p50_ms']} ms\np99 {r['p99_ms']} ms",
            ha="center",
            va="bottom",
        )
    a.set_title("Home timeline vs trivial endpoint")
    a.margins(y=0.3)
    labels = [f"{p['author']} followers" for p in results["fanout"]]
    b.bar(labels, [p["visible_everywhere_s"] for p in results["fanout"]], color="#c2410c")
    b.axhline(2.0, color="#999", linestyle="--", label="target for 10k: 2 s")
    b.set_ylabel("seconds from POST to visible in all home timelines")
    b.set_title("Post to visibility")
    b.legend()
    fig.suptitle("Agora public square, production profile (granian 2 workers, PostgreSQL, Redis, Celery)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=40, help="per endpoint, over all rounds")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="granian blocking threads per worker")
    args = parser.parse_args()
    data = json.loads(DATA.read_text())
    setup()
    server = start_server(args.workers, args.threads)
    worker = start_worker()
    try:
        readers = data["readers"]
        # Warm-up: every reader reads once (their first read marks them active and fills the caches), as
        # in steady state where most readers have been here within the hour.
        warm = load.run(
            "warm-up",
            HOST,
            PORT,
            "/api/v1/timelines/home",
            readers,
            connections=args.connections,
            seconds=300,
            max_requests=len(readers),
        )
        print(
            f"warm-up: {warm.requests} cold reads, p50 {warm.pct(0.5):.1f} ms, p99 {warm.pct(0.99):.1f} ms",
            flush=True,
        )
        # Alternate short rounds of the two endpoints: on a shared machine the background load drifts,
        # and back-to-back long runs would hand one endpoint a quieter minute than the other.
        per = args.seconds / args.rounds
        trivial = load.Result("trivial /api/v1/instance", 0, 0, 0.0, [])
        home = load.Result("home timeline (20 posts)", 0, 0, 0.0, [])
        ratios = []
        for _ in range(args.rounds):
            t = load.run(
                trivial.name,
                HOST,
                PORT,
                "/api/v1/instance",
                [None],
                connections=args.connections,
                seconds=per,
            )
            h = load.run(
                home.name,
                HOST,
                PORT,
                "/api/v1/timelines/home",
                readers,
                connections=args.connections,
                seconds=per,
            )
            ratios.append(h.rps / t.rps)
            for total, part in ((trivial, t), (home, h)):
                total.requests += part.requests
                total.errors += part.errors
                total.seconds += part.seconds
                total.latencies_ms.extend(part.latencies_ms)
        results: dict = {
            "load": [trivial.summary(), home.summary()],
            "fanout": [],
            "cold_first_reads": warm.summary(),
            "round_ratios": [round(r, 3) for r in ratios],
        }
        results["home_vs_trivial"] = round(home.rps / trivial.rps, 3)
        for label in ("100", "10k", "100k"):
            author_id, token = data["probes"][label]
            results["fanout"].append(fanout_probe(label, author_id, token, data["star_follower_tokens"]))
        results["data"] = {k: data[k] for k in ("users", "follows", "posts")} | {"readers": len(readers)}
        results["server"] = {
            "workers": args.workers,
            "threads": args.threads,
            "connections": args.connections,
            "seconds": args.seconds,
        }
    finally:
        stop(worker)
        stop(server)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "square.json").write_text(json.dumps(results, indent=2))
    chart(results, RESULTS / "square.png")
    for r in results["load"]:
        print(
            f"{r['name']:<28} {r['rps']:>8.1f} req/s  p50 {r['p50_ms']:>6} ms  p99 {r['p99_ms']:>6} ms  "
            f"errors {r['errors']}"
        )
    print(
        f"home / trivial throughput: {results['home_vs_trivial'] * 100:.0f}% "
        f"(per round: {', '.join(f'{r * 100:.0f}%' for r in results['round_ratios'])})"
    )
    for p in results["fanout"]:
        how = "merged at read" if p["celebrity"] else f"fan-out to {p['timelines_checked']} stored timelines"
        print(
            f"author with {p['author']:>4} followers ({p['followers']} active): visible everywhere in "
            f"{p['visible_everywhere_s']:.3f} s ({how}; POST took {p['post_request_s']:.3f} s)"
        )
    print(f"data: {results['data']}  -> bench/results/square.json, bench/results/square.png")


if __name__ == "__main__":
    main()
