"""Fixtures for the square's tests (social, feeds, notifications), imported by their conftest.py."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from PIL import Image


@pytest.fixture
def active_user(make_user):
    """A user who has been active recently (fan-out skips inactive readers)."""

    def make(username=None, **fields):
        fields.setdefault("last_active_at", timezone.now())
        return make_user(username, **fields)

    return make


def png_bytes(size=(64, 48), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def png():
    return png_bytes


@pytest.fixture(autouse=True)
def commits(transactional_db):
    # Side effects run on commit (fan-out, notifications): tests need real commits to see them.
    yield
