import pytest

pytestmark = pytest.mark.django_db


def test_pages_render(client, make_user):
    u = make_user("alice", bio="hi <b>x</b>")
    for path in ["/", "/signup", "/login", "/password-reset/", "/password-reset/sent/", "/@alice", "/nope-404"]:
        r = client.get(path)
        assert r.status_code in (200, 404), (path, r.status_code)
    client.force_login(u)
    for path in ["/", "/settings/profile", "/settings/password", "/@alice"]:
        r = client.get(path)
        assert r.status_code == 200, (path, r.status_code)
