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
