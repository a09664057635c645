"""Web workers killed right after committing a post, before publishing its tasks: does every post still
reach every follower's timeline, exactly once?

granian (2 workers, 4 threads) serves bench/faults/dying_wsgi.py: the site, except that a worker that
has just committed a post SIGKILLs itself before its after-commit hook publishes the post's fan-out,
for one post in --die-one-in (granian starts a new worker). Without the transactional outbox
(agora/core/outbox.py) those posts would reach no follower; with it, beat's sweep (core.relay_outbox,
every 5 s, rows older than 10 s) publishes them. --clients writers post for --seconds (a killed
request's client sees its connection drop and goes on with its next post); a Celery worker with
beat fans out. The posts checked are those in the database (what committed), whether or not their
client got an answer. It asserts each is in every reader's timeline, once, within --bound seconds of
the load's end, and that the outbox is empty then; it prints what it measured.

    .venv/bin/python bench/faults/post_kill.py [--broker redis|rabbitmq] [--die-one-in 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.faults import common  # noqa: E402
from bench.faults.restart import make_square  # noqa: E402


def post_load(port: int, tokens: list[str], seconds: float, clients: int) -> dict[str, int]:
    counts = {"answered": 0, "dropped": 0, "other": 0}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        token, n = tokens[i % len(tokens)], 0
        while time.monotonic() < stop:
            n += 1
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request(
                    "POST",
                    "/api/v1/statuses",
                    json.dumps({"status": f"post-kill probe {i}-{n}"}),
                    {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                )
                res = conn.getresponse()
                res.read()
                kind = "answered" if res.status == 200 else "other"
            except (OSError, http.client.HTTPException):
                kind = "dropped"  # its worker was killed under it
            finally:
                conn.close()
            with lock:
                counts[kind] += 1
            time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--broker", default="redis", help="redis, rabbitmq, or a broker URL")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--die-one-in", type=int, default=8, help="posts per worker killed after commit")
    parser.add_argument("--bound", type=float, default=60.0, help="seconds after the load to deliver all")
    parser.add_argument("--log", default="/tmp/agora-faults-post-kill.log")
    args = parser.parse_args()
    killed_log = Path(args.log + ".killed")
    killed_log.write_text("")
    env = common.fault_env(
        args.broker, AGORA_BENCH_DIE_ONE_IN=str(args.die_one_in), AGORA_BENCH_DIE_LOG=str(killed_log)
    )
    common.setup(env)
    common.purge_queue(env)
    from agora.core import outbox
    from agora.core.models import OutboxMessage
    from agora.feeds.store import get_store
    from agora.social.models import Status

    OutboxMessage.objects.all().delete()
    writer_tokens, _reader_tokens, writer_ids, reader_ids = make_square(4, 8)
    log = Path(args.log)
    log.write_bytes(b"")
    port = common.free_port()
    server = common.start_granian(
        env, workers=2, threads=4, port=port, log=log, target="bench.faults.dying_wsgi:application"
    )
    worker = common.start_worker(env, concurrency=2, log=Path(args.log + ".celery"), beat=True)
    failures: list[str] = []
    try:
        started = time.time()
        counts = post_load(port, writer_tokens, args.seconds, args.clients)
        load_end = time.monotonic()
        posts = list(
            Status.objects.filter(author_id__in=writer_ids, created_at__gte=_at(started)).values_list(
                "id", flat=True
            )
        )
        killed = [int(line) for line in killed_log.read_text().split()]
        print(
            f"posts committed: {len(posts)}; requests answered {counts['answered']}, dropped "
            f"{counts['dropped']} (connection lost or refused: a worker killed or restarting), other "
            f"{counts['other']}; workers killed right "
            f"after a commit: {len(killed)}"
        )
        store = get_store()
        missing: list[int] = []
        doubled: list[int] = []

        def arrived() -> bool:
            nonlocal missing, doubled
            pipe = store.r.pipeline(transaction=False)  # type: ignore[attr-defined]
            wanted = [(p, r) for p in posts for r in reader_ids]
            for p, r in wanted:
                pipe.zlexcount(store.key(r), f"[{p:020d}:", f"[{p:020d};")  # type: ignore[attr-defined]
            found = pipe.execute()
            missing = sorted({p for (p, _r), n in zip(wanted, found, strict=True) if n == 0})
            doubled = sorted({p for (p, _r), n in zip(wanted, found, strict=True) if n > 1})
            return not missing

        try:
            took = common.wait_for(arrived, args.bound, "every post in every timeline")
            late = [p for p in killed if p in posts]
            print(
                f"all {len(posts)} posts in all {len(reader_ids)} readers' timelines {took:.1f} s after "
                f"the load ({time.monotonic() - load_end:.1f} s); {len(late)} of them through the sweep"
            )
        except TimeoutError:
            print(f"after {args.bound:.0f} s, {len(missing)} posts missing from some reader's timeline")
            print(f"  of which killed after commit: {len(set(missing) & set(killed))}")
            failures.append("posts lost")
        if doubled:
            failures.append(f"{len(doubled)} posts twice in a timeline")
        if not killed:
            failures.append("no worker was killed after a commit (raise --seconds or lower --die-one-in)")
        state = outbox.status()
        left = OutboxMessage.objects.count()
        print(f"outbox after: {left} rows ({state})")
        if state["unsent"] or state["dead"]:
            failures.append("outbox not empty")
    finally:
        common.stop(server)
        common.stop(worker)
        common.purge_queue(env)
    print("result:", "FAILED " + ", ".join(failures) if failures else "ok")
    return 1 if failures else 0


def _at(timestamp: float):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, tz=UTC)


if __name__ == "__main__":
    sys.exit(main())
