import pytest
from django.test import Client


@pytest.mark.django_db
def test_operators_edit_categories_in_admin(make_user):
    client = Client()
    client.force_login(make_user("op", is_staff=True, is_superuser=True))
    assert client.get("/admin/catalog/category/").status_code == 200
    res = client.post(
        "/admin/catalog/category/add/", {"name": "Pets", "name_zh": "宠物", "slug": "pets", "position": 9}
    )
    assert res.status_code == 302
    assert any(c["slug"] == "pets" for c in Client().get("/api/v1/categories").json())
    for path in (
        "/admin/orders/order/",
        "/admin/payments/ledgerentry/",
        "/admin/shops/shop/",
        "/admin/catalog/product/",
        "/admin/reviews/review/",
    ):
        assert client.get(path).status_code == 200, path
