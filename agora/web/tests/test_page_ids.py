"""Ids in page URLs beyond BIGINT (or not numbers) are ignored, not passed to the database (500)."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.core.schema import MAX_ID, parse_id

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/public", "/@reader/posts", "/notifications", "/tags/x"])
@pytest.mark.parametrize("max_id", ["9" * 30, "abc", "-3", "１２"])
def test_pages_with_a_bad_max_id_show_the_first_page(make_user, path, max_id):
    client = Client()
    client.force_login(make_user("reader"))
    assert client.get(path, {"max_id": max_id}).status_code == 200


def test_parse_id():
    assert parse_id("12") == 12 and parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(str(MAX_ID + 1)) is None and parse_id("-1") is None and parse_id("１２") is None
    assert parse_id(None) is None and parse_id("") is None and parse_id("1e3") is None
