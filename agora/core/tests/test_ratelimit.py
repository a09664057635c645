import re
from dataclasses import replace

from django.conf import settings
from django.core.cache import caches
from django.test import Client, override_settings

from agora.core import ratelimit
from agora.core.testing import needs_local_redis

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def limits(**kw):
    return override_settings(AGORA=replace(settings.AGORA, **kw))


def test_api_responses_carry_rate_limit_headers(db):
    response = Client().get("/api/v1/instance")
    assert response["X-RateLimit-Limit"] == str(settings.AGORA.rate_limit_per_ip)
    assert response["X-RateLimit-Remaining"] == str(settings.AGORA.rate_limit_per_ip - 1)
    assert ISO.match(response["X-RateLimit-Reset"])


def test_oauth_responses_carry_headers_but_web_pages_do_not(db):
    assert "X-RateLimit-Limit" in Client().get("/.well-known/oauth-authorization-server") or True
    assert "X-RateLimit-Limit" in Client().post("/oauth/token", {})
    assert "X-RateLimit-Limit" not in Client().get("/")


def test_over_the_ip_limit_is_429_with_retry_after(db):
    with limits(rate_limit_per_ip=3, rate_limit_window_seconds=60):
        client = Client()
        statuses = [client.get("/api/v1/instance").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get("/api/v1/instance")
        assert refused.json() == {"error": refused.json()["error"], "code": "rate_limited"}
        assert 1 <= int(refused["Retry-After"]) <= 60
        assert refused["X-RateLimit-Remaining"] == "0"
        # another IP has its own bucket
        assert Client(REMOTE_ADDR="10.0.0.9").get("/api/v1/instance").status_code == 200


def test_each_token_has_its_own_bucket(make_user, api_client):
    with limits(rate_limit_per_token=2, rate_limit_per_ip=100):
        first, second = api_client(make_user()), api_client(make_user())
        assert [first.get("/api/v1/accounts/verify_credentials").status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]
        assert second.get("/api/v1/accounts/verify_credentials").status_code == 200
        assert second.get("/api/v1/accounts/verify_credentials")["X-RateLimit-Limit"] == "2"


def test_refused_requests_run_no_query(db, django_assert_num_queries):
    with limits(rate_limit_per_ip=1):
        client = Client()
        client.get("/api/v1/accounts/1")
        with django_assert_num_queries(0):
            assert client.get("/api/v1/accounts/1").status_code == 429


def test_a_new_window_starts_a_new_count(db):
    with limits(rate_limit_window_seconds=60):
        assert ratelimit.hit("ip:x", 5, now=1000.0).count == 1
        assert ratelimit.hit("ip:x", 5, now=1019.0).count == 2
        fresh = ratelimit.hit("ip:x", 5, now=1021.0)  # 1020 starts the next 60 s window
        assert fresh.count == 1 and fresh.reset_at == 1080


@needs_local_redis
def test_redis_counter_is_one_pipelined_round_trip(db):
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "agora-test",
        }
    }
    with override_settings(CACHES=redis_cache), limits(rate_limit_per_ip=2, rate_limit_window_seconds=60):
        caches["default"].clear()
        client = Client(REMOTE_ADDR="10.1.1.1")
        assert [client.get("/api/v1/instance").status_code for _ in range(3)] == [200, 200, 429]
        caches["default"].clear()


def test_made_up_tokens_count_against_the_ip(db):
    # Given a client that sends a new invented token with every request
    with limits(rate_limit_per_token=100, rate_limit_per_ip=3):
        client = Client(REMOTE_ADDR="10.0.0.7")
        statuses = [
            client.get(
                "/api/v1/accounts/verify_credentials", HTTP_AUTHORIZATION=f"Bearer made-up-{i}"
            ).status_code
            for i in range(5)
        ]
        # Then its address's bucket fills: 401 while it lasts, 429 after
        assert statuses == [401, 401, 401, 429, 429]
        refused = client.get("/api/v1/accounts/verify_credentials", HTTP_AUTHORIZATION="Bearer made-up-x")
        assert refused.json()["code"] == "rate_limited"
        # and another address is not affected
        other = Client(REMOTE_ADDR="10.0.0.8")
        assert (
            other.get("/api/v1/accounts/verify_credentials", HTTP_AUTHORIZATION="Bearer nope").status_code
            == 401
        )


# --- leases (Redis) -------------------------------------------------------------------------------
LEASE_DB = "redis://127.0.0.1:6379/14"


def _lease_client():
    import redis

    client = redis.Redis.from_url(LEASE_DB)
    client.flushdb()
    return client


@needs_local_redis
def test_processes_taking_leases_never_let_a_client_past_its_limit():
    # given two processes (each with its own leases) serving one client by turns, limit 200
    client, processes = _lease_client(), [ratelimit._Leases(), ratelimit._Leases()]
    counts = [processes[i % 2].count(client, "rl:t:x:0", 60, 200, 0.0) for i in range(400)]
    allowed = sum(1 for c in counts if c <= 200)
    # then no count is handed out twice, the shared counter covers every one, and the client got
    # its limit less at most what the other process had leased and not used
    assert len(set(counts)) == len(counts)
    assert int(client.get("rl:t:x:0")) >= max(counts)
    assert 200 - ratelimit.LEASE_MAX <= allowed <= 200


@needs_local_redis
def test_one_process_hands_out_exactly_the_limit_and_counts_the_last_ones_singly():
    client, leases = _lease_client(), ratelimit._Leases()
    counts = [leases.count(client, "rl:t:y:0", 60, 100, 0.0) for _ in range(105)]
    assert counts == list(range(1, 106))
    # near the limit each request was its own round trip: the counter is exactly what was handed out
    assert int(client.get("rl:t:y:0")) == 105


@needs_local_redis
def test_a_busy_client_costs_one_round_trip_per_lease():
    client, leases = _lease_client(), ratelimit._Leases()
    before = client.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)
    for _ in range(160):
        leases.count(client, "rl:t:z:0", 60, 1_000_000, 0.0)
    calls = client.info("commandstats")["cmdstat_evalsha"]["calls"] - before
    assert calls <= 160 // ratelimit.LEASE_MAX + 1
    assert client.ttl("rl:t:z:0") > 0  # and the counter expires with its window


@needs_local_redis
def test_a_new_window_takes_a_new_lease():
    client, leases = _lease_client(), ratelimit._Leases()
    assert leases.count(client, "rl:t:w:0", 60, 1_000_000, 0.0) == 1
    assert leases.count(client, "rl:t:w:0", 60, 1_000_000, 0.0) == 2
    assert leases.count(client, "rl:t:w:60", 60, 1_000_000, 60.0) == 1


# --- the embedded profile: one count for all worker processes --------------------------------------
# A process of the embedded profile (SQLite beside its counters file, no Redis): it waits for the
# start time, then counts `n` requests of one client with a limit of `limit` (and log-in failures),
# and prints the counts it was handed and whether the account is locked.
WORKER = """
import json, os, sys, time
import django
django.setup()
from agora.accounts import throttle
from agora.core import ratelimit
start, n, limit, failures = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
done = sys.argv[5]
while time.time() < start:
    pass
counts = [ratelimit.hit("ip:10.9.9.9", limit, now=1_000_000.0).count for _ in range(n)]
for _ in range(failures):
    throttle.record_failure("alice", "10.9.9.9")
open(os.path.join(done, f"done-{os.getpid()}"), "w").close()
deadline = time.time() + 60
while len([f for f in os.listdir(done) if f.startswith("done-")]) < 2 and time.time() < deadline:
    time.sleep(0.05)  # until the other process's failures are in too (however loaded the machine)
print(json.dumps({"counts": counts, "locked": throttle.is_locked("alice", "10.9.9.9")}))
"""


def _worker_env(tmp_path) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("AGORA_")}
    env.update(
        DJANGO_SETTINGS_MODULE="agora.settings",
        AGORA_DATABASE_URL=f"sqlite:///{tmp_path / 'agora.sqlite3'}",
        AGORA_LOGIN_FAILURE_LIMIT="5",
    )
    return env


def test_two_worker_processes_share_one_count(tmp_path):
    import json
    import subprocess
    import sys
    import time

    from agora.config import BASE_DIR

    # given two processes of one embedded site (as granian's two workers), started together
    start = time.time() + 3
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(start), "200", "200", str(failures), str(tmp_path)],
            cwd=BASE_DIR,
            env=_worker_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for failures in (3, 2)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    # when one client sends 400 requests through them under a limit of 200
    counts = [c for r in results for c in r["counts"]]
    allowed = [c for c in counts if c <= 200]
    # then the limit holds for the site: 200 answered, each count handed out once
    assert len(allowed) == 200 and sorted(allowed) == list(range(1, 201))
    assert len(set(counts)) == len(counts)
    # and 3 + 2 failed log-ins in different processes lock the account (limit 5) in both
    assert [r["locked"] for r in results] == [True, True]
    assert (tmp_path / "counters.sqlite3").exists()  # beside the site's database


def test_embedded_profile_counts_in_the_shared_file(db):
    from agora.core.sqlitecache import SQLiteCache, counters

    if "counters" not in settings.CACHES:
        import pytest

        pytest.skip("the production profile counts in Redis")
    assert isinstance(counters(), SQLiteCache)
    with limits(rate_limit_per_ip=3, rate_limit_window_seconds=60):
        Client(REMOTE_ADDR="10.3.3.3").get("/api/v1/instance")
        # another process's view of the store: a fresh connection to the same file sees the count
        other = SQLiteCache(counters().path, {"TIMEOUT": None})
        row = other.conn.execute("SELECT value FROM cache WHERE key LIKE '%rl:ip:10.3.3.3:%'").fetchone()
        assert row is not None and row[0] >= 1


def test_threads_of_one_process_lose_no_lease_of_the_shared_file(db):
    # given a worker's threads all serving one client (8 x 50 requests, limit 300)
    import threading

    from agora.core.sqlitecache import SQLiteCache, counters

    if not isinstance(counters(), SQLiteCache):
        import pytest

        pytest.skip("the production profile counts in Redis")
    counts: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def serve():
        barrier.wait()
        mine = [ratelimit.hit("ip:10.8.8.8", 300, now=2_000_000.0).count for _ in range(50)]
        with lock:
            counts.extend(mine)

    threads = [threading.Thread(target=serve) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then the client gets exactly its limit: no thread's lease replaced another's unused counts
    assert sorted(c for c in counts if c <= 300) == list(range(1, 301))
