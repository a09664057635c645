"""PostgreSQL or Redis goes away under load: does the site recover by itself, with no 5xx after the
first second, and is no background task lost?

Load: --clients threads against granian (2 workers, 4 threads each) for --seconds, half reading home
timelines, half posting (each post fans out through a Celery worker to the readers' timelines). At
--fault-at seconds one fault:
  pg-terminate   every PostgreSQL connection to the bench's database is closed by the server
                 (pg_terminate_backend): what a restart does to the connections, without disturbing
                 anyone else's database;
  redis-kill     every Redis client connection on the bench's databases (cache and timelines, and the
                 broker) is closed by the server (CLIENT KILL); --flush also empties the cache and
                 timeline database, as a restart without persistence would;
  pg-outage      the bench's database refuses connections for --outage seconds (ALLOW_CONNECTIONS
                 false) and every connection to it is closed: a restart's outage, for it alone;
  pg-restart     a real PostgreSQL restart (pg_ctlcluster ... restart): shared by everyone on this
                 machine, so run it rarely, and say so;
  redis-restart  a real Redis restart (SHUTDOWN SAVE, then redis-server with the options it ran with,
                 loading its data back): likewise shared.
It prints 5xx and dropped connections per second around the fault, and the last one's time after the
fault ended (the service answering again); asserts none later than 1 s after; then checks that every
post made during the run reached every reader's timeline (no fan-out lost) within 60 s.

    .venv/bin/python bench/faults/restart.py --fault pg-terminate
    .venv/bin/python bench/faults/restart.py --fault redis-kill --flush
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import shlex
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.faults import common  # noqa: E402


def make_square(authors: int, readers: int) -> tuple[list[str], list[str], list[int], list[int]]:
    """Authors followed by every reader; a token each; each reader's timeline stored."""
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    from agora.accounts.models import User
    from agora.feeds.fanout import rebuild_home
    from agora.social.models import Follow

    now = timezone.now()
    app, _ = Application.objects.get_or_create(
        name="fault bench",
        defaults={
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
        },
    )

    def users(prefix: str, n: int) -> list[User]:
        out = []
        for i in range(n):
            user, _ = User.objects.get_or_create(
                username=f"{prefix}{i}", defaults={"email": f"{prefix}{i}@example.com", "last_active_at": now}
            )
            out.append(user)
        return out

    def token(user: User, scope: str) -> str:
        raw = f"restart-{user.id}-{time.time_ns()}"
        AccessToken.objects.create(
            user=user, application=app, token=raw, scope=scope, expires=timezone.now() + timedelta(hours=2)
        )
        return raw

    writers, readers_ = users("fault_poster", authors), users("fault_reader", readers)
    User.objects.filter(id__in=[u.id for u in readers_]).update(last_active_at=now)
    for reader in readers_:
        for writer in writers:
            Follow.objects.get_or_create(follower=reader, followee=writer)
    for writer in writers:
        User.objects.filter(id=writer.id).update(followers_count=readers)
    for reader in readers_:
        rebuild_home(reader)
    return (
        [token(u, "read write") for u in writers],
        [token(u, "read") for u in readers_],
        [u.id for u in writers],
        [u.id for u in readers_],
    )


class Load:
    def __init__(self, port: int) -> None:
        self.port = port
        self.events: list[tuple[float, str, int]] = []  # (time, kind, status; 0 = connection failed)
        self.posts: list[int] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.quiet = threading.Event()  # set: only the first reader and the first writer go on

    def client(self, token: str, write: bool, first: bool = False) -> None:
        conn: http.client.HTTPConnection | None = None
        n = 0
        while not self.stop.is_set() and (first or not self.quiet.is_set()):
            n += 1
            if write:
                method, path, body = "POST", "/api/v1/statuses", json.dumps({"status": f"restart probe {n}"})
            else:
                method, path, body = "GET", "/api/v1/timelines/home", None
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request(method, path, body, headers)
                res = conn.getresponse()
                data = res.read()
                status = res.status
            except (OSError, http.client.HTTPException):
                conn, status, data = None, 0, b""
            with self.lock:
                self.events.append((time.monotonic(), "post" if write else "home", status))
                if write and status == 200:
                    self.posts.append(int(json.loads(data)["id"]))
            # quiet: a request now and then, as at night; busy: as fast as the site answers
            time.sleep(0.5 if self.quiet.is_set() else 0.05 if write else 0.0)


def fault(kind: str, env: dict[str, str], flush: bool, outage: float = 4.0) -> None:
    """Cause the fault; returns once the service answers again."""
    import redis
    from django.db import connection

    db = env["AGORA_DATABASE_URL"].rsplit("/", 1)[1]
    if kind == "pg-terminate":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [db],
            )
            print(f"terminated {cursor.fetchone()[0]} PostgreSQL connections to {db}")
    elif kind == "redis-kill":
        urls = {env["AGORA_REDIS_URL"], env["AGORA_BROKER_URL"]}
        dbs = {int(u.rsplit("/", 1)[1]) for u in urls if u.startswith("redis://")}
        admin = redis.Redis.from_url(env["AGORA_REDIS_URL"])
        me = admin.client_id()
        mine = [c for c in admin.client_list() if int(c["db"]) in dbs and int(c["id"]) != me]
        for c in mine:
            admin.execute_command("CLIENT", "KILL", "ID", c["id"])
        if flush:
            admin.flushdb()
        print(
            f"closed {len(mine)} Redis connections on databases {sorted(dbs)}"
            + (", flushed" if flush else "")
        )
    elif kind == "pg-outage":
        # A restart's outage for this database alone: no connection accepted for `outage` seconds,
        # every open one closed (as a restart does), then back. Run from the maintenance database.
        import psycopg

        params = {
            k: v for k, v in connection.get_connection_params().items() if k in ("host", "port", "user")
        }
        connection.close()
        with psycopg.connect(**params, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS false')
            row = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s", [db]
            ).fetchone()
            print(f"{db} refuses connections; terminated {row[0] if row else 0}")
            time.sleep(outage)
            admin.execute(f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS true')
        print(f"{db} accepts connections again after {outage:.1f} s")
    elif kind == "pg-restart":
        version = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True).stdout.split()[0]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)
        common.wait_for(
            lambda: subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0, 60, "PostgreSQL"
        )
        print("PostgreSQL restarted")
    elif kind == "redis-restart":
        admin = redis.Redis.from_url(env["AGORA_REDIS_URL"])
        pid = admin.info("server")["process_id"]
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        config = admin.config_get("*")
        # SHUTDOWN SAVE and the same dir: the restarted server loads its data back, so the other
        # databases on this shared server (other developers' benches) keep theirs; ours are restored
        # too, and the --flush fault is the one that loses data.
        command = [
            "redis-server",
            "--daemonize", "yes",
            "--bind", config["bind"].split()[0],
            "--port", config["port"],
            "--dir", config["dir"],
            "--dbfilename", config["dbfilename"],
            "--save", config.get("save", ""),
            "--appendonly", config.get("appendonly", "no"),
            "--maxmemory-policy", config.get("maxmemory-policy", "noeviction"),
        ]  # fmt: skip
        print("restarting Redis (was: " + " ".join(shlex.quote(a.decode()) for a in argv if a) + ")")
        dump = Path(config["dir"]) / config["dbfilename"]
        had_dump = dump.exists()
        with contextlib.suppress(redis.ConnectionError):  # it went away while answering: as it should
            admin.shutdown(save=True)
        common.wait_for(lambda: not _pings(env["AGORA_REDIS_URL"]), 30, "Redis down")
        subprocess.run(command, check=True)
        common.wait_for(lambda: _pings(env["AGORA_REDIS_URL"]), 60, "Redis")
        if not had_dump:  # loaded: leave no snapshot for a later start to bring stale data back from
            dump.unlink(missing_ok=True)
        print("Redis restarted")
    else:
        raise ValueError(kind)


def _pings(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.2).ping())
    except redis.ConnectionError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--fault",
        choices=["pg-terminate", "pg-outage", "redis-kill", "pg-restart", "redis-restart"],
        required=True,
    )
    parser.add_argument("--outage", type=float, default=4.0, help="pg-outage: seconds refused")
    parser.add_argument("--flush", action="store_true", help="redis-kill: also empty the cache database")
    parser.add_argument("--broker", choices=["redis", "rabbitmq"], default="redis")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--fault-at", type=float, default=4.0)
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="busy, then from before the fault one reader and one writer, two requests a second each",
    )
    parser.add_argument("--log", default="/tmp/agora-faults-restart.log")
    args = parser.parse_args()
    env = common.fault_env(args.broker)
    common.setup(env)
    common.purge_queue(env)
    from agora.feeds.store import get_store
    from agora.social.models import Status

    writer_tokens, reader_tokens, writer_ids, reader_ids = make_square(4, 8)
    log = Path(args.log)
    log.write_bytes(b"")
    port = common.free_port()
    server = common.start_granian(env, workers=2, threads=4, port=port, log=log)
    worker = common.start_worker(env, concurrency=2, log=Path(args.log + ".celery"))
    load = Load(port)
    failures: list[str] = []
    try:
        writers = args.clients // 2
        threads = [
            threading.Thread(
                target=load.client, args=(writer_tokens[i % len(writer_tokens)], True, i == 0), daemon=True
            )
            for i in range(writers)
        ] + [
            threading.Thread(
                target=load.client, args=(reader_tokens[i % len(reader_tokens)], False, i == 0), daemon=True
            )
            for i in range(args.clients - writers)
        ]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        if args.quiet:
            # a busy spell gives every web thread a database connection; then the site goes quiet, and
            # the threads left idle hold their connections (up to CONN_MAX_AGE) through the fault
            time.sleep(args.fault_at / 2)
            load.quiet.set()
            time.sleep(args.fault_at / 2)
        else:
            time.sleep(args.fault_at)
        fault_start = time.monotonic()
        fault(args.fault, env, args.flush, args.outage)
        fault_end = time.monotonic()
        time.sleep(max(0.0, args.seconds - (fault_end - t0)))
        load.stop.set()
        for t in threads:
            t.join(60)
        events = sorted(load.events)
        bad = [(t, kind, s) for t, kind, s in events if s == 0 or s >= 500]
        per_second: Counter = Counter()
        for t, _kind, s in events:
            per_second[
                (int(t - fault_start) if t >= fault_start else -1 - int(fault_start - t), s >= 500 or s == 0)
            ] += 1
        print(f"fault {args.fault}: took {fault_end - fault_start:.2f} s; requests {len(events)} "
              f"({Counter(k for _, k, _ in events)}), by status {dict(Counter(s for _, _, s in events))}")  # fmt: skip
        for second in range(-2, int(args.seconds - args.fault_at) + 1):
            ok, failed = per_second[(second, False)], per_second[(second, True)]
            print(f"  second {second:+d} from the fault: {ok} ok, {failed} 5xx or dropped")
        late = [b for b in bad if b[0] > fault_end + 1.0]
        if bad:
            print(f"last 5xx/dropped: {bad[-1][0] - fault_end:+.2f} s after the fault ended; "
                  f"5xx/dropped in all {len(bad)}, later than 1 s after: {len(late)}")  # fmt: skip
        else:
            print("no 5xx and no dropped connection")
        if late:
            failures.append("5xx after the first second")
        # every post made reached every reader's timeline (the fan-out tasks were not lost)
        store = get_store()
        posts = sorted(load.posts)
        missing: list[int] = []

        def arrived() -> bool:
            nonlocal missing
            pipe = store.r.pipeline(transaction=False)  # type: ignore[attr-defined]
            wanted = [(p, r) for p in posts for r in reader_ids]
            for p, r in wanted:
                pipe.zlexcount(store.key(r), f"[{p:020d}:", f"[{p:020d};")  # type: ignore[attr-defined]
            missing = sorted({p for (p, _r), n in zip(wanted, pipe.execute(), strict=True) if n == 0})
            return not missing

        try:
            took = common.wait_for(arrived, 60, "fan-out")
            print(f"posts made: {len(posts)}, all in every reader's timeline {took:.1f} s after the load")
        except TimeoutError:
            print(f"posts made: {len(posts)}, missing from some reader's timeline after 60 s: {len(missing)}")
            made = dict(Status.objects.filter(id__in=missing).values_list("id", "created_at"))
            for p in missing[:10]:
                at = made.get(p)
                print(
                    f"  {p}: "
                    + (f"created {at.isoformat(timespec='milliseconds')}" if at else "not in the database")
                )
            if not args.flush:
                failures.append("fan-out lost")
            else:  # the emptied timelines are rebuilt from the database on the next read instead
                print("  (timelines were emptied by the fault: the next read rebuilds them)")
    finally:
        common.stop(server)
        common.stop(worker)
        common.purge_queue(env)
    print("result:", "FAILED " + ", ".join(failures) if failures else "ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
