"""Every answer under /api/ is in the one error shape, also where no endpoint runs at all."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/statuses/abc"),  # the int converter refuses the id
        ("post", "/api/v1/statuses/-1/favourite"),
        ("get", "/api/v1/accounts/" + "9" * 40 + "x"),
        ("get", "/api/v1/no-such-endpoint"),
    ],
)
def test_unknown_api_path_is_json_404(client, method, path):
    # given no route for the path, when it is requested
    response = getattr(client, method)(path)
    # then the API's JSON 404, not the site's HTML page
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": "No such endpoint or record.", "code": "not_found"}


def test_wrong_method_is_json_405_with_allow(api_client, make_user):
    # given an endpoint that only reads
    client = api_client(make_user())
    # when it is sent a DELETE
    response = client.delete("/api/v1/timelines/home")
    # then 405 in the error shape, still naming the methods it takes
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_web_404_stays_html(client):
    # given a page outside the API, when it is missing, then the site's HTML page
    response = client.get("/no-such-page-here")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_shaped_404_keeps_cors_and_rate_limit_headers(client):
    # given a browser client on another origin, when it asks for a path that does not exist
    response = client.get("/api/v1/statuses/abc", headers={"Origin": "https://client.example"})
    # then the JSON 404 still carries the headers that let it read the answer
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "X-RateLimit-Limit" in response


def test_nul_in_an_api_path_is_a_json_404_before_any_work(make_user, api_client):
    # given a path with a NUL, sent with an Idempotency-Key (its record stores the path: PostgreSQL
    # refuses NUL in text, which made this a 500 on the production profile)
    client = api_client(make_user())
    response = client.post("/api/v1/tags/a%00b/follow", headers={"Idempotency-Key": "k1"})
    # then a 404 in the error shape, and no tag was made
    from agora.social.models import Tag

    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not Tag.objects.exists()
