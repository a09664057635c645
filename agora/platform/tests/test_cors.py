from django.test import Client


def test_preflight_is_answered_without_running_the_view(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().options(
            "/api/v1/statuses",
            HTTP_ORIGIN="https://elk.example",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
        )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert response["Access-Control-Allow-Headers"] == "authorization, content-type"
    assert "Access-Control-Allow-Credentials" not in response


def test_api_and_token_responses_are_readable_cross_origin(db):
    for response in (
        Client().get("/api/v1/instance", HTTP_ORIGIN="https://elk.example"),
        Client().post("/oauth/token", {}, HTTP_ORIGIN="https://elk.example"),
    ):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "X-RateLimit-Remaining" in response["Access-Control-Expose-Headers"]
        assert "Link" in response["Access-Control-Expose-Headers"]


def test_pages_get_no_cors(db):
    assert "Access-Control-Allow-Origin" not in Client().get("/oauth/authorize")
    assert "Access-Control-Allow-Origin" not in Client().get("/")
