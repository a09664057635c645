"""Values the database refuses (NUL in text on PostgreSQL, numbers out of range) are 4xx, not 500."""

from __future__ import annotations

import pytest
from django.db import DataError, connection
from django.test import Client

from agora.social import actions
from agora.social.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing_database(monkeypatch):
    # The embedded profile's SQLite stores NUL; make the write fail as PostgreSQL's driver does.
    def refuse(*args, **kwargs):
        raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")

    monkeypatch.setattr(actions, "do_create_status", refuse)


def test_api_write_refused_by_the_database_is_422_in_the_error_shape(
    make_user, api_client, refusing_database
):
    # when a post's write is refused by the database
    response = api_client(make_user()).post("/api/v1/statuses", {"status": "a\x00b"})
    # then 422 in the API's shape, not a 500
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_value"


def test_web_form_refused_by_the_database_is_400(make_user, refusing_database):
    client = Client()
    client.force_login(make_user())
    response = client.post("/statuses/new", {"status": "a\x00b"})
    assert response.status_code == 400


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite stores NUL characters")
def test_nul_in_a_post_on_postgresql_is_422(make_user, api_client):
    response = api_client(make_user()).post("/api/v1/statuses", {"status": "a\x00b"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_value"
    assert not Status.objects.exists()
