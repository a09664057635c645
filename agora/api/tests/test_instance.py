from django.core.cache import cache
from django.test import Client


def test_instance_counts_real_users_and_is_cached(make_user, django_assert_num_queries):
    # given two active users (one posted 3 times) and a deactivated one
    make_user(statuses_count=3)
    make_user()
    make_user(is_active=False)
    client = Client()
    # when the instance is read twice
    with django_assert_num_queries(1):
        v1 = client.get("/api/v1/instance").json()
    with django_assert_num_queries(0):
        v2 = client.get("/api/v2/instance").json()
    # then it counts real rows, once, and keeps the Mastodon version string
    assert v1["stats"]["user_count"] == 2 and v1["stats"]["status_count"] == 3
    assert v2["usage"]["users"]["active_month"] == 0
    assert v1["version"] == v2["version"] == "4.3.0 (compatible; Agora 0.1.0)"
    assert "example.invalid" not in v2["source_url"]


def test_instance_stats_refresh_after_cache_expiry(make_user):
    make_user()
    client = Client()
    assert client.get("/api/v1/instance").json()["stats"]["user_count"] == 1
    make_user()
    cache.delete("instance:stats")
    assert client.get("/api/v1/instance").json()["stats"]["user_count"] == 2
