from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client


def run(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue().strip()


def test_create_then_revoke(make_user):
    make_user("Ops")
    raw = run("create", "ops", "--scopes", "read write")
    me = Client().get("/api/v1/accounts/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200 and me.json()["username"] == "Ops"
    # a second token reuses the same CLI application
    run("create", "ops")
    from oauth2_provider.models import Application

    assert Application.objects.filter(name="Agora CLI").count() == 1
    assert run("revoke", raw) == "revoked"
    assert (
        Client().get("/api/v1/accounts/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        == 401
    )


def test_errors(make_user):
    make_user("ops")
    with pytest.raises(CommandError, match="No active user"):
        run("create", "ghost")
    with pytest.raises(CommandError, match="Unknown scope"):
        run("create", "ops", "--scopes", "read sudo")
    with pytest.raises(CommandError, match="No such token"):
        run("revoke", "nope")
