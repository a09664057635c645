"""Kill a Celery worker mid-fan-out and check that nothing is lost and nothing is doubled.

An author with --followers active followers (each with a stored Redis home timeline; a tenth more are
inactive, whom fan-out skips) and --subscribers of them with the bell on posts once; while the
fan-out and the "new post" notices run in a Celery worker, this kills (kill -9)
  --kill worker     the whole worker, main process and pool (a crashed host or container), then
                    starts a fresh worker;
  --kill children   only its pool processes (the kernel's OOM killer): the main process stays and
                    forks new ones;
  --kill none       nothing (the baseline).
Then it waits until every active follower's timeline holds the post and every subscriber has its
notice, and asserts each exactly once, within the bound it prints:
  RabbitMQ, or --kill children: fresh-worker start + the work left + 60 s of slack;
  Redis, --kill worker: AGORA_TASK_VISIBILITY_TIMEOUT + 5 s (kombu's restore sweep) + the same.
The run sets AGORA_TASK_VISIBILITY_TIMEOUT=30 and AGORA_TASK_TIME_LIMIT=10 (production: 300 and 120)
so that a Redis run takes seconds, not minutes; the bound scales with them.

    .venv/bin/python bench/faults/fanout_kill.py --broker redis --kill worker
    .venv/bin/python bench/faults/fanout_kill.py --broker rabbitmq --kill children --followers 10000

Prints one line per measurement and exits non-zero when an assertion fails.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.faults import common  # noqa: E402

VISIBILITY_TIMEOUT = 30
TIME_LIMIT = 10
SLACK = 60.0


def make_graph(followers: int, subscribers: int) -> tuple[int, list[int], list[int], list[int]]:
    """The author, the active followers, the inactive ones and the subscribers (created once, reused)."""
    from django.utils import timezone

    from agora.accounts.models import User
    from agora.social.models import Follow

    now = timezone.now()
    author, _ = User.objects.get_or_create(
        username="fault_author", defaults={"email": "fault_author@example.com", "last_active_at": now}
    )
    inactive = followers // 10
    want = [f"fault_f{i}" for i in range(followers + inactive)]
    have = set(User.objects.filter(username__in=want).values_list("username", flat=True))
    User.objects.bulk_create(
        [User(username=u, email=f"{u}@example.com", password="!") for u in want if u not in have],
        batch_size=2000,
    )
    ids = dict(User.objects.filter(username__in=want).values_list("username", "id"))
    active = [ids[f"fault_f{i}"] for i in range(followers)]
    idle = [ids[f"fault_f{i}"] for i in range(followers, followers + inactive)]
    User.objects.filter(id__in=active).update(last_active_at=now)
    User.objects.filter(id__in=idle).update(last_active_at=now - timedelta(days=90))
    Follow.objects.filter(followee=author).exclude(follower_id__in=active + idle).delete()
    following = set(Follow.objects.filter(followee=author).values_list("follower_id", flat=True))
    Follow.objects.bulk_create(
        [Follow(follower_id=f, followee=author) for f in active + idle if f not in following], batch_size=2000
    )
    subs = active[:subscribers]
    Follow.objects.filter(followee=author).update(notify=False)
    Follow.objects.filter(followee=author, follower_id__in=subs).update(notify=True)
    User.objects.filter(id=author.id).update(followers_count=len(active) + len(idle))
    return author.id, active, idle, subs


def store_timelines(owners: list[int]) -> None:
    """Every active follower has a stored (empty) home timeline, as after a recent read."""
    from agora.feeds.store import SENTINEL, get_store

    store = get_store()
    pipe = store.r.pipeline(transaction=False)  # type: ignore[attr-defined]
    for n, owner in enumerate(owners):
        key = store.key(owner)  # type: ignore[attr-defined]
        pipe.delete(key)
        pipe.zadd(key, {SENTINEL: 0})
        pipe.expire(key, 3600)
        if n % 2000 == 1999:
            pipe.execute()
    pipe.execute()


class Progress:
    """How far the post has got: timelines holding it (and holding it more than once), notices."""

    def __init__(self, status_id: int, author_id: int, owners: list[int], subscribers: list[int]) -> None:
        from agora.feeds.store import get_store

        self.status_id, self.owners, self.subscribers = status_id, owners, subscribers
        self.store = get_store()
        self.member = f"{status_id:020d}:{author_id}"

    def timelines(self) -> int:
        pipe = self.store.r.pipeline(transaction=False)  # type: ignore[attr-defined]
        for owner in self.owners:
            pipe.zscore(self.store.key(owner), self.member)  # type: ignore[attr-defined]
        return sum(score is not None for score in pipe.execute())

    def entries(self) -> tuple[int, int]:
        """(timelines with the post, timelines with it more than once): any member for this status."""
        lo, hi = f"[{self.status_id:020d}:", f"[{self.status_id:020d};"
        pipe = self.store.r.pipeline(transaction=False)  # type: ignore[attr-defined]
        for owner in self.owners:
            pipe.zlexcount(self.store.key(owner), lo, hi)  # type: ignore[attr-defined]
        counts = pipe.execute()
        return sum(c >= 1 for c in counts), sum(c > 1 for c in counts)

    def notices(self) -> tuple[int, int]:
        """(subscribers told, rows beyond one per subscriber)."""
        from django.db.models import Count

        from agora.notifications.models import Notification

        rows = (
            Notification.objects.filter(status_id=self.status_id, type="status")
            .values("recipient_id")
            .annotate(n=Count("id"))
        )
        counts = [r["n"] for r in rows]
        return len(counts), sum(n - 1 for n in counts)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--broker", choices=["redis", "rabbitmq"], default="redis")
    parser.add_argument("--kill", choices=["worker", "children", "none"], default="worker")
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--subscribers", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=250, help="AGORA_FANOUT_BATCH for the run")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--log", default="/tmp/agora-faults-worker.log")
    args = parser.parse_args()
    env = common.fault_env(
        args.broker,
        AGORA_TASK_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        AGORA_TASK_TIME_LIMIT=str(TIME_LIMIT),
        AGORA_FANOUT_BATCH=str(args.batch),
        # 10,000 active followers and a tenth more inactive ones: still pushed, not merged at read
        AGORA_FANOUT_THRESHOLD=str(args.followers * 2),
    )
    common.setup(env)
    from agora.social.actions import do_create_status

    t = time.perf_counter()
    author_id, owners, idle, subscribers = make_graph(args.followers, args.subscribers)
    store_timelines([author_id, *owners])
    print(f"setup: {len(owners)} active followers, {len(idle)} inactive, {len(subscribers)} subscribers "
          f"in {time.perf_counter() - t:.1f} s")  # fmt: skip
    common.purge_queue(env)
    log = Path(args.log)
    log.write_bytes(b"")
    worker = common.start_worker(env, concurrency=args.concurrency, log=log)
    fresh = None
    failures = []
    try:
        from agora.accounts.models import User

        t0 = time.monotonic()
        status = do_create_status(User.objects.get(id=author_id), f"fault probe {time.time()}")
        progress = Progress(status.id, author_id, [author_id, *owners], subscribers)
        killed_at = None
        at_kill = (0, 0)
        if args.kill != "none":
            # kill once the work is under way but not done: some timelines or notices there, not all
            while time.monotonic() - t0 < 60:
                got, told = progress.timelines(), progress.notices()[0]
                if (got > 1 or told > 0) and (got < len(progress.owners) or told < len(subscribers)):
                    break
                time.sleep(0.01)
            victims = (
                common.children(worker.pid)
                if args.kill == "children"
                else [worker.pid, *common.children(worker.pid)]
            )
            common.kill9(victims)
            killed_at = time.monotonic()
            at_kill = (progress.timelines(), progress.notices()[0])
            print(f"killed {args.kill} ({len(victims)} processes) at {killed_at - t0:.2f} s: "
                  f"{at_kill[0]}/{len(progress.owners)} timelines, {at_kill[1]}/{len(subscribers)} notices")  # fmt: skip
            if args.kill == "worker":
                ts = time.monotonic()
                fresh = common.start_worker(env, concurrency=args.concurrency, log=log)
                print(f"fresh worker ready in {time.monotonic() - ts:.1f} s")
            else:
                common.wait_for(
                    lambda: not set(common.children(worker.pid)) & set(victims), 60, "dead reaped"
                )
                common.wait_for(lambda: len(common.children(worker.pid)) >= args.concurrency, 60, "new pool")
                print(f"new pool processes in {time.monotonic() - killed_at:.2f} s")
        # the bound
        start = killed_at or t0
        bound = SLACK + (VISIBILITY_TIMEOUT + 5 if args.broker == "redis" and args.kill == "worker" else 0)
        when: dict[str, float] = {}
        while len(when) < 2 and time.monotonic() - start < bound:
            if "timelines" not in when and progress.timelines() == len(progress.owners):
                when["timelines"] = time.monotonic()
            if "notices" not in when and progress.notices()[0] == len(subscribers):
                when["notices"] = time.monotonic()
            time.sleep(0.05)
        finished = time.monotonic()
        for what, at in sorted(when.items(), key=lambda kv: kv[1]):
            print(f"all {what} there: {at - t0:.2f} s after the post"
                  + (f", {at - killed_at:.2f} s after the kill" if killed_at else ""))  # fmt: skip
        timelines, doubled = progress.entries()
        told, extra = progress.notices()
        print(f"post to everything done: {finished - t0:.2f} s"
              + (f" ({finished - killed_at:.2f} s after the kill; bound {bound:.0f} s)" if killed_at else ""))  # fmt: skip
        print(f"timelines holding the post: {timelines}/{len(progress.owners)}, more than once: {doubled}")
        print(f"subscribers notified: {told}/{len(subscribers)}, extra notices: {extra}")
        inactive_hit = sum(
            1
            for owner in idle
            if progress.store.r.exists(progress.store.key(owner))  # type: ignore[attr-defined]
        )
        print(f"inactive followers given a stored timeline: {inactive_hit} (fan-out skips them)")
        if timelines != len(progress.owners) or doubled:
            failures.append("timelines")
        if told != len(subscribers) or extra:
            failures.append("notifications")
        if inactive_hit:
            failures.append("inactive followers")
    finally:
        for proc in (worker, fresh):
            if proc is not None:
                common.stop(proc)
    print("result:", "FAILED " + ", ".join(failures) if failures else "ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
