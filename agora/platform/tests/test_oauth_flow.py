from urllib.parse import parse_qs, urlsplit

from django.test import Client

from agora.platform.tests.helpers import (
    REDIRECT,
    authorize,
    bearer,
    code_from,
    exchange,
    form_post,
    pkce_pair,
    register_app,
)


def test_authorization_code_with_pkce_end_to_end(make_user):
    # given a registered app and a logged-in user
    client = Client()
    app = register_app(client)
    user = make_user("alice", display_name="爱丽丝")
    client.force_login(user)
    verifier, challenge = pkce_pair()
    # when the user approves the consent page
    page, answer = authorize(client, app, scope="read write", challenge=challenge)
    # then the page names the app and the scopes in words
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tusky" in html and "Post and change your account" in html and "csrfmiddlewaretoken" in html
    # and the app exchanges the code (with the PKCE verifier) for a Mastodon-shaped token
    response = exchange(Client(), app, code_from(answer), verifier=verifier)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read write"
    assert isinstance(body["created_at"], int)
    # which works on the API as that user
    me = Client().get("/api/v1/accounts/verify_credentials", **bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["username"] == "alice"


def test_pkce_wrong_verifier_is_refused(make_user):
    client = Client()
    app = register_app(client)
    client.force_login(make_user())
    _verifier, challenge = pkce_pair()
    _page, answer = authorize(client, app, challenge=challenge)
    response = exchange(Client(), app, code_from(answer), verifier="not-the-verifier-" * 3)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_code_is_single_use(make_user):
    client = Client()
    app = register_app(client)
    client.force_login(make_user())
    _page, answer = authorize(client, app)
    code = code_from(answer)
    assert exchange(Client(), app, code).status_code == 200
    assert exchange(Client(), app, code).status_code == 400


def test_refresh_gives_a_working_token_and_kills_the_old_one(make_user):
    client = Client()
    app = register_app(client)
    client.force_login(make_user())
    _page, answer = authorize(client, app)
    first = exchange(Client(), app, code_from(answer)).json()
    # when the app refreshes
    response = form_post(
        Client(),
        "/oauth/token",
        {
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
    )
    # then it gets a new token with the same scope; the old one stops working
    assert response.status_code == 200, response.content
    second = response.json()
    assert second["access_token"] != first["access_token"] and second["scope"] == "read"
    api = Client()
    assert api.get("/api/v1/accounts/verify_credentials", **bearer(second["access_token"])).status_code == 200
    assert api.get("/api/v1/accounts/verify_credentials", **bearer(first["access_token"])).status_code == 401


def test_revoked_token_gets_401(make_user):
    client = Client()
    app = register_app(client)
    client.force_login(make_user())
    _page, answer = authorize(client, app)
    tok = exchange(Client(), app, code_from(answer)).json()["access_token"]
    response = form_post(
        Client(),
        "/oauth/revoke",
        {"token": tok, "client_id": app["client_id"], "client_secret": app["client_secret"]},
    )
    assert response.status_code == 200
    assert response.json() == {}
    after = Client().get("/api/v1/accounts/verify_credentials", **bearer(tok))
    assert after.status_code == 401
    assert after.json()["code"] == "invalid_token"


def test_client_credentials_gives_an_app_token(db):
    app = register_app(Client(), scopes="read write:accounts")
    response = form_post(
        Client(),
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "read write:accounts",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == "read write:accounts" and "refresh_token" not in body
    # an app token may check its app but is not a user
    api = Client()
    assert (
        api.get("/api/v1/apps/verify_credentials", **bearer(body["access_token"])).json()["name"] == "Tusky"
    )
    me = api.get("/api/v1/accounts/verify_credentials", **bearer(body["access_token"]))
    assert me.status_code == 403 and me.json()["code"] == "user_token_required"


def test_token_endpoint_accepts_json_like_mastodon(db):
    app = register_app(Client())
    response = Client().post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["scope"] == "read"  # the default


def test_wrong_client_secret_is_401(db):
    app = register_app(Client())
    response = form_post(
        Client(),
        "/oauth/token",
        {"grant_type": "client_credentials", "client_id": app["client_id"], "client_secret": "nope"},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_scopes_beyond_registration_are_refused(make_user):
    # given an app that registered only "read"
    client = Client()
    app = register_app(client, scopes="read")
    client.force_login(make_user())
    # when it asks the user for "write"
    page, _answer = authorize(client, app, scope="read write")
    # then no consent is offered, nor a client-credentials token
    assert page.status_code in (302, 400)
    if page.status_code == 302:
        assert parse_qs(urlsplit(page["Location"]).query)["error"] == ["invalid_scope"]
    cc = form_post(
        Client(),
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "write",
        },
    )
    assert cc.status_code == 400 and cc.json()["error"] == "invalid_scope"


def test_sub_scope_of_registered_top_level_is_allowed(make_user):
    client = Client()
    app = register_app(client, scopes="read write")
    client.force_login(make_user())
    _page, answer = authorize(client, app, scope="read:statuses write:media")
    assert exchange(Client(), app, code_from(answer)).json()["scope"] == "read:statuses write:media"


def test_commerce_scope_needs_registering_by_name(make_user):
    client = Client()
    app = register_app(client, scopes="read write")
    client.force_login(make_user())
    page, _answer = authorize(client, app, scope="read:orders")
    assert page.status_code in (302, 400)


def test_insufficient_scope_on_api_is_403(make_user):
    client = Client()
    app = register_app(client, scopes="read write")
    client.force_login(make_user())
    _page, answer = authorize(client, app, scope="write")
    tok = exchange(Client(), app, code_from(answer)).json()["access_token"]
    response = Client().get("/api/v1/accounts/verify_credentials", **bearer(tok))
    assert response.status_code == 403
    assert response.json() == {"error": response.json()["error"], "code": "insufficient_scope"}


def test_out_of_band_shows_the_code_on_a_page(make_user):
    client = Client()
    app = register_app(client, redirect_uris="urn:ietf:wg:oauth:2.0:oob")
    client.force_login(make_user())
    _page, answer = authorize(client, app, redirect_uri="urn:ietf:wg:oauth:2.0:oob")
    assert answer.status_code == 200
    html = answer.content.decode()
    code = html.split('id="oob-code">', 1)[1].split("<", 1)[0].strip()
    token = exchange(Client(), app, code, redirect_uri="urn:ietf:wg:oauth:2.0:oob")
    assert token.status_code == 200, token.content


def test_deny_redirects_with_access_denied(make_user):
    client = Client()
    app = register_app(client)
    client.force_login(make_user())
    _page, answer = authorize(client, app, allow=False)
    assert answer.status_code == 302
    location = answer["Location"]
    assert location.startswith(REDIRECT) and "error=access_denied" in location


def test_authorize_needs_log_in(db):
    app = register_app(Client())
    response = Client().get(
        f"/oauth/authorize?response_type=code&client_id={app['client_id']}&redirect_uri={REDIRECT}&scope=read"
    )
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_unregistered_redirect_uri_is_not_followed(make_user):
    client = Client()
    app = register_app(client)
    client.force_login(make_user())
    page, _answer = authorize(client, app, redirect_uri="https://evil.example/steal")
    assert page.status_code == 400
    assert "evil.example" not in page.get("Location", "")


def test_authorization_server_metadata(db):
    body = Client().get("/.well-known/oauth-authorization-server").json()
    assert body["authorization_endpoint"].endswith("/oauth/authorize")
    assert body["token_endpoint"].endswith("/oauth/token")
    assert body["revocation_endpoint"].endswith("/oauth/revoke")
    assert body["app_registration_endpoint"].endswith("/api/v1/apps")
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert {"authorization_code", "client_credentials", "refresh_token"} == set(body["grant_types_supported"])
    assert "read:statuses" in body["scopes_supported"] and "write:orders" in body["scopes_supported"]
    assert body["response_types_supported"] == ["code"]
    assert "client_secret_basic" in body["token_endpoint_auth_methods_supported"]


def test_native_app_custom_scheme_redirect(make_user):
    client = Client()
    app = register_app(client, redirect_uris="org.joinmastodon.app://oauth")
    client.force_login(make_user())
    _page, answer = authorize(client, app, redirect_uri="org.joinmastodon.app://oauth")
    assert answer.status_code == 302
    assert answer["Location"].startswith("org.joinmastodon.app://oauth?")
    code = parse_qs(urlsplit(answer["Location"]).query)["code"][0]
    assert exchange(Client(), app, code, redirect_uri="org.joinmastodon.app://oauth").status_code == 200


def test_an_app_already_approved_is_not_asked_again_unless_force_login(make_user):
    client = Client()
    app = register_app(client)
    client.force_login(make_user())
    _page, answer = authorize(client, app, scope="read write")
    exchange(Client(), app, code_from(answer))
    params = f"response_type=code&client_id={app['client_id']}&redirect_uri={REDIRECT}&scope=read&state=s123"
    # same or fewer scopes: straight back to the app with a new code
    again = client.get("/oauth/authorize?" + params)
    assert exchange(Client(), app, code_from(again)).status_code == 200
    # more scopes, or force_login: the consent page again
    assert (
        client.get("/oauth/authorize?" + params.replace("scope=read", "scope=read+follow")).status_code == 200
    )
    assert client.get("/oauth/authorize?" + params + "&force_login=true").status_code == 200


def test_oauth_paths_answer_with_a_trailing_slash(make_user):
    # given a client such as toot, which sends /oauth/authorize/ and /oauth/token/
    client = Client()
    app = register_app(client)
    client.force_login(make_user("alice"))
    params = {
        "response_type": "code",
        "client_id": app["client_id"],
        "redirect_uri": REDIRECT,
        "scope": "read",
        "state": "s123",
    }
    # when it goes through the flow with the slashes
    page = client.get("/oauth/authorize/", params)
    answer = form_post(client, "/oauth/authorize/", {**params, "allow": "true"})
    data = {
        "grant_type": "authorization_code",
        "code": code_from(answer),
        "redirect_uri": REDIRECT,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
    }
    token = form_post(Client(), "/oauth/token/", data)
    # then each step is answered by its view, not a redirect
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    assert token.status_code == 200, token.content
    raw = token.json()["access_token"]
    assert Client().get("/api/v1/accounts/verify_credentials/", **bearer(raw)).status_code == 200
    metadata = Client().get("/.well-known/oauth-authorization-server/")
    assert metadata.status_code == 200 and metadata.json()["token_endpoint"].endswith("/oauth/token")
    revoked = form_post(
        Client(),
        "/oauth/revoke/",
        {"token": raw, "client_id": app["client_id"], "client_secret": app["client_secret"]},
    )
    assert revoked.status_code == 200
    assert Client().get("/api/v1/accounts/verify_credentials", **bearer(raw)).status_code == 401
