"""Uploads are refused by their size before their bytes are read into memory."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from agora.core.images import ImageTooLarge
from agora.media.actions import read_upload
from agora.social.models import Status


class _Unreadable:
    """An upload whose size is known and whose body must not be touched."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.reads = 0

    def read(self, *args):
        self.reads += 1
        raise AssertionError("the oversize upload was read")


@pytest.fixture
def small_limit(settings):
    settings.AGORA = dataclasses.replace(settings.AGORA, max_image_bytes=1000)
    return 1000


def test_oversize_upload_is_refused_unread(small_limit):
    # given an upload over the limit
    upload = _Unreadable(small_limit + 1)
    # when its bytes are asked for, then it is refused by size and never read
    with pytest.raises(ImageTooLarge):
        read_upload(upload)
    assert upload.reads == 0


def test_read_is_bounded_when_size_is_unknown(small_limit):
    # given an upload that does not tell its size, then at most one byte over the limit is read
    upload = SimpleUploadedFile("a.png", b"x" * 5000)
    upload.size = None  # type: ignore[assignment]
    assert len(read_upload(upload)) == small_limit + 1


@pytest.mark.django_db
def test_web_compose_refuses_oversize_image_with_a_form_error(make_user, small_limit, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client = Client()
    client.force_login(make_user())
    # when a post is composed with an image over the limit
    r = client.post(
        "/statuses/new",
        {"status": "pic", "images": [SimpleUploadedFile("a.png", b"x" * 5000)]},
        headers={"HX-Request": "true"},
    )
    # then the compose box shows the error and nothing is posted
    assert r.status_code == 200 and r["HX-Retarget"] == "#compose-errors"
    assert "KiB" in r.content.decode()
    assert not Status.objects.exists()
