from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_create_get_patch_shop(make_user, api_client, client):
    owner = make_user("owner", followers_count=42)
    api = api_client(owner, scope="write:shop")
    res = api.post(
        "/api/v1/shops",
        {
            "name": "Tea House",
            "shipping_fee": "8.00",
            "free_shipping_threshold": "99.00",
            "return_policy": "7 days",
        },
    )
    assert res.status_code == 201, res.content
    shop = res.json()
    assert (
        shop["shipping_fee"] == "8.00"
        and shop["followers_count"] == 42
        and shop["owner"]["username"] == "owner"
    )
    # one shop per account
    assert api.post("/api/v1/shops", {"name": "Second"}).json()["code"] == "shop_exists"
    assert client.get(f"/api/v1/shops/{shop['id']}").json()["name"] == "Tea House"
    res = api.patch(f"/api/v1/shops/{shop['id']}", {"name": "Tea Hall", "free_shipping_threshold": None})
    assert res.json()["name"] == "Tea Hall" and res.json()["free_shipping_threshold"] is None
    other = api_client(make_user(), scope="write:shop")
    assert other.patch(f"/api/v1/shops/{shop['id']}", {"name": "x"}).status_code == 403
    assert client.get("/api/v1/shops/123").status_code == 404


def test_shop_needs_write_shop_scope(make_user, api_client):
    api = api_client(make_user(), scope="read write")
    assert api.post("/api/v1/shops", {"name": "x"}).status_code == 403
