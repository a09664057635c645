"""The SQLite cache of shared counts (agora/core/sqlitecache.py) keeps Django's cache contract."""

import time

import pytest

from agora.core.sqlitecache import SQLiteCache


@pytest.fixture
def cache(tmp_path):
    return SQLiteCache(str(tmp_path / "counters.sqlite3"), {"TIMEOUT": 300})


def test_values_round_trip_and_expire(cache):
    cache.set("n", 5)
    cache.set("obj", {"a": [1, 2]})
    assert cache.get("n") == 5 and cache.get("obj") == {"a": [1, 2]}
    assert cache.get("missing", "d") == "d" and not cache.has_key("missing")
    cache.set("gone", 1, timeout=0)
    assert cache.get("gone") is None
    assert cache.delete("n") and cache.get("n") is None and not cache.delete("n")


def test_add_only_when_absent_or_expired(cache):
    assert cache.add("k", 1) and not cache.add("k", 2) and cache.get("k") == 1
    cache.set("old", 1, timeout=0)
    assert cache.add("old", 7) and cache.get("old") == 7


def test_incr_is_atomic_and_refuses_a_missing_key(cache):
    cache.add("c", 0)
    assert [cache.incr("c") for _ in range(3)] == [1, 2, 3]
    assert cache.incr("c", 10) == 13
    with pytest.raises(ValueError):
        cache.incr("nope")


def test_touch_and_clear(cache):
    cache.set("t", 1, timeout=1)
    assert cache.touch("t", 300)
    time.sleep(1.1)
    assert cache.get("t") == 1
    cache.clear()
    assert cache.get("t") is None


def test_leases_match_the_redis_script(cache):
    # k is at most `most`, at most 1/32 of what is left below the limit, at least 1
    assert cache.lease("l", ttl=60, most=16, limit=300) == (9, 9)
    assert cache.lease("l", ttl=60, most=16, limit=300) == (18, 9)
    assert cache.lease("m", ttl=60, most=16, limit=10_000) == (16, 16)
    assert cache.lease("s", ttl=60, most=16, limit=10) == (1, 1)
    for _ in range(20):
        cache.lease("s", ttl=60, most=16, limit=10)
    assert cache.lease("s", ttl=60, most=16, limit=10) == (22, 1)  # past the limit: one by one
    # an expired count starts again
    cache.conn.execute("UPDATE cache SET expires = 0 WHERE key = 'l'")
    assert cache.lease("l", ttl=60, most=16, limit=300) == (9, 9)


def test_two_connections_share_the_file(cache):
    other = SQLiteCache(cache.path, {"TIMEOUT": 300})
    cache.add("shared", 0)
    assert other.incr("shared") == 1 and cache.incr("shared") == 2
