from django.test import Client
from oauth2_provider.models import AccessToken, Application

from agora.platform.tests.helpers import authorize, code_from, exchange, register_app

NEW_APP = {
    "name": "我的小工具",
    "website": "https://tool.example",
    "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
    "scopes": ["read", "write:statuses"],
}


def test_pages_need_log_in(db):
    for path in ("/settings/applications", "/settings/authorized-apps"):
        response = Client().get(path)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_create_app_shows_secret_once_and_owner_token(make_user):
    # given a logged-in developer
    client = Client()
    client.force_login(make_user("dev"))
    assert client.get("/settings/applications").status_code == 200
    # when they create an app
    response = client.post("/settings/applications", NEW_APP)
    assert response.status_code == 302
    detail = client.get(response["Location"])
    html = detail.content.decode()
    # then they see the client id, the secret (this once) and their own token for it
    app = Application.objects.get(name="我的小工具")
    token = AccessToken.objects.get(application=app)
    assert app.client_id in html and 'id="client-secret"' in html and token.token in html
    assert token.scope == "read write:statuses"
    secret = html.split('id="client-secret">', 1)[1].split("<", 1)[0]
    assert secret and secret != app.client_secret  # stored hashed
    again = client.get(response["Location"]).content.decode()
    assert 'id="client-secret"' not in again and secret not in again
    assert "我的小工具" in client.get("/settings/applications").content.decode()


def test_form_errors_are_shown(make_user):
    client = Client()
    client.force_login(make_user())
    response = client.post("/settings/applications", {**NEW_APP, "redirect_uris": "javascript:alert(1)"})
    assert response.status_code == 422
    assert not Application.objects.exists()


def test_csrf_is_enforced(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    assert client.post("/settings/applications", NEW_APP).status_code == 403


def test_others_cannot_see_or_delete_my_app(make_user):
    owner, other = Client(), Client()
    owner.force_login(make_user())
    other.force_login(make_user())
    location = owner.post("/settings/applications", NEW_APP)["Location"]
    app = Application.objects.get()
    assert other.get(location).status_code == 404
    assert other.post(f"/settings/applications/{app.id}/delete").status_code == 404
    assert Application.objects.filter(id=app.id).exists()
    # the owner may delete it, and its tokens die with it
    assert owner.post(f"/settings/applications/{app.id}/delete").status_code == 302
    assert not Application.objects.exists() and not AccessToken.objects.exists()


def test_authorized_apps_lists_and_revokes(make_user):
    user = make_user()
    browser = Client()
    browser.force_login(user)
    app = register_app(Client(), name="Ivory")
    _page, answer = authorize(browser, app)
    tok = exchange(Client(), app, code_from(answer)).json()["access_token"]
    page = browser.get("/settings/authorized-apps").content.decode()
    assert "Ivory" in page
    app_id = Application.objects.get(client_id=app["client_id"]).id
    # someone else cannot revoke my authorization
    stranger = Client()
    stranger.force_login(make_user())
    assert stranger.post(f"/settings/authorized-apps/{app_id}/revoke").status_code == 404
    assert browser.post(f"/settings/authorized-apps/{app_id}/revoke").status_code == 302
    assert (
        Client().get("/api/v1/accounts/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {tok}").status_code
        == 401
    )
    assert "Access revoked for Ivory" in browser.get("/settings/authorized-apps").content.decode()
    assert "Ivory" not in browser.get("/settings/authorized-apps").content.decode()  # message shown once


def test_pages_are_translated(make_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(make_user())
    html = client.get("/settings/applications").content.decode()
    assert "新建应用" in html
