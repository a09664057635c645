from django.test import Client
from oauth2_provider.models import Application

from agora.platform.models import AppProfile


def test_register_app_returns_mastodon_shape_and_secret_once(db):
    response = Client().post(
        "/api/v1/apps",
        {
            "client_name": "Elk",
            "redirect_uris": ["https://elk.example/cb", "urn:ietf:wg:oauth:2.0:oob"],
            "scopes": "read write push",
            "website": "https://elk.example",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) >= {
        "id",
        "name",
        "website",
        "redirect_uri",
        "redirect_uris",
        "client_id",
        "client_secret",
        "client_secret_expires_at",
        "scopes",
    }
    assert body["redirect_uris"] == ["https://elk.example/cb", "urn:ietf:wg:oauth:2.0:oob"]
    assert body["scopes"] == ["push", "read", "write"] and body["client_secret_expires_at"] == 0
    app = Application.objects.get(client_id=body["client_id"])
    assert app.client_secret != body["client_secret"]  # only the hash is stored
    assert AppProfile.objects.get(application=app).owner is None


def test_register_app_form_encoded_with_defaults(db):
    response = Client().post(
        "/api/v1/apps",
        "client_name=Toot%21&redirect_uris=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, response.content
    assert response.json()["scopes"] == ["read"] and response.json()["website"] is None


def test_register_app_validation(db):
    cases = [
        ({"redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}, "validation_failed"),
        ({"client_name": "x", "redirect_uris": "javascript:alert(1)"}, "invalid_redirect_uri"),
        ({"client_name": "x", "redirect_uris": "https:///nohost"}, "invalid_redirect_uri"),
        ({"client_name": "x", "redirect_uris": ""}, "validation_failed"),
        (
            {"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read admin:all"},
            "invalid_scope",
        ),
        (
            {"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "website": "ftp://x"},
            "invalid_url",
        ),
        ({"client_name": "x", "redirect_uris": 5}, "validation_failed"),
        (
            {"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": {"read": 1}},
            "validation_failed",
        ),
        (
            {"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": 7},
            "validation_failed",
        ),
    ]
    for data, code in cases:
        response = Client().post("/api/v1/apps", data, content_type="application/json")
        assert response.status_code == 422, (data, response.content)
        assert response.json()["code"] == code
    bad_json = Client().post("/api/v1/apps", "{not json", content_type="application/json")
    assert bad_json.status_code == 422 and bad_json.json()["code"] == "invalid_json"
    assert not Application.objects.exists()


def test_verify_app_credentials_needs_a_token(db):
    response = Client().get("/api/v1/apps/verify_credentials")
    assert response.status_code == 401 and response.json()["code"] == "token_required"
