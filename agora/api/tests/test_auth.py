def test_verify_credentials_returns_string_id(make_user, api_client):
    # given a user with a read token
    user = make_user("alice", display_name="爱丽丝")
    client = api_client(user, scope="read")
    # when they ask who they are
    response = client.get("/api/v1/accounts/verify_credentials")
    # then they get their account with a string id
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(user.id)
    assert body["display_name"] == "爱丽丝"


def test_missing_scope_is_403_with_error_shape(make_user, api_client):
    user = make_user()
    client = api_client(user, scope="write")
    response = client.get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_no_token_is_401(db, api_client):
    response = api_client().get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 401
    assert set(response.json()) >= {"error", "code"}


def test_commerce_scope_not_implied_by_read(make_user, api_client):
    from agora.platform.scopes import grants

    assert grants({"read"}, "read:statuses")
    assert not grants({"read"}, "read:orders")
    assert grants({"follow"}, "write:blocks")


def test_a_browser_session_does_not_authenticate_the_api(make_user, client):
    # Given a user logged in to the web site
    user = make_user()
    client.force_login(user)
    assert client.get("/settings/applications").status_code == 200
    # When the browser calls the API with its cookies and no token
    verify = client.get("/api/v1/accounts/verify_credentials")
    home = client.get("/api/v1/timelines/home")
    # Then the API treats it as anonymous
    assert verify.status_code == 401 and verify.json()["code"] == "token_required"
    assert home.status_code == 401
    # and an optional-auth read answers as for anyone (no viewer flags)
    public = client.get("/api/v1/timelines/public")
    assert public.status_code == 200
