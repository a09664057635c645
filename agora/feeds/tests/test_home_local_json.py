"""Each process keeps the status JSON it has read and reuses it while Redis holds its tag
(agora/social/timeline_json.py, ADR 0003 decision 7)."""

from agora.core import hotcache
from agora.social.actions import do_create_status, do_follow
from agora.social.serializers import SJ_PREFIX

HOME = "/api/v1/timelines/home"


def test_a_warm_read_fetches_no_status_json(timeline_redis, active_user, api_client, monkeypatch):
    alice, bob = active_user("alice"), active_user("bob")
    do_follow(bob, alice)
    for i in range(3):
        do_create_status(alice, f"post {i}")
    client = api_client(bob)
    first = client.get(HOME)
    assert first.status_code == 200 and len(first.json()) == 3
    fetched: list[str] = []
    real = hotcache.get_strings
    monkeypatch.setattr(hotcache, "get_strings", lambda keys: fetched.extend(keys) or real(keys))
    again = client.get(HOME)
    assert again.json() == first.json()
    assert not [k for k in fetched if k.startswith(SJ_PREFIX)]


def test_keys_written_together_expire_apart(timeline_redis):
    hotcache.set_strings({f"agora:test:{i}": "x" for i in range(50)}, 600)
    ttls = {timeline_redis.ttl(f"agora:test:{i}") for i in range(50)}
    assert all(480 <= t <= 600 for t in ttls)
    assert len(ttls) > 10
