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
