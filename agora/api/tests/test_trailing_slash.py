"""Every API path also answers with a trailing slash, as Mastodon's does: the same endpoint, no
redirect (a redirected POST loses its body)."""

import pytest

from agora.social.models import Status


@pytest.fixture
def client(make_user, api_client):
    return api_client(make_user("alice"), scope="read write follow")


@pytest.mark.parametrize("slash", ["", "/"])
def test_get_paths_answer_with_or_without_a_slash(client, slash):
    for path in ("/api/v1/timelines/home", "/api/v1/instance", "/api/v2/instance", "/api/v1/notifications"):
        response = client.get(path + slash)
        assert response.status_code == 200, (path + slash, response.content)
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("slash", ["", "/"])
def test_post_paths_answer_with_or_without_a_slash(client, slash):
    # a post, then its favourite, each to a path with or without the slash
    posted = client.post("/api/v1/statuses" + slash, {"status": f"hello{slash}"})
    assert posted.status_code == 200, posted.content
    sid = posted.json()["id"]
    assert Status.objects.filter(id=sid).exists()
    liked = client.post(f"/api/v1/statuses/{sid}/favourite" + slash)
    assert liked.status_code == 200 and liked.json()["favourited"] is True
    got = client.get(f"/api/v1/statuses/{sid}" + slash)
    assert got.status_code == 200 and got.json()["id"] == sid


def test_a_path_that_is_not_there_is_still_a_json_404_with_or_without_a_slash(client):
    for path in ("/api/v1/nope", "/api/v1/nope/", "/api/v1/statuses/abc/"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_an_idempotency_key_is_one_record_with_or_without_the_slash(client):
    first = client.post("/api/v1/statuses", {"status": "once"}, headers={"Idempotency-Key": "s1"})
    again = client.post("/api/v1/statuses/", {"status": "once"}, headers={"Idempotency-Key": "s1"})
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
