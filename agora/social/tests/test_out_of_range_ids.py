"""Ids beyond BIGINT and repeated media are bad input (422), not database errors (500)."""

from __future__ import annotations

import pytest

from agora.media.actions import do_upload_media
from agora.social.testing import png_bytes

HUGE = str(10**30)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.mark.parametrize(
    "body",
    [
        {"status": "x", "media_ids": [HUGE]},
        {"status": "x", "in_reply_to_id": HUGE},
        {"status": "x", "quoted_status_id": "-1"},
    ],
)
def test_status_ids_out_of_range_are_422(make_user, api_client, body):
    # when a post names an id no BIGINT column can hold, then the API refuses it as invalid
    response = api_client(make_user()).post("/api/v1/statuses", body)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/accounts/relationships?id[]=" + HUGE,
        "/api/v1/timelines/public?max_id=" + HUGE,
        "/api/v1/notifications?since_id=" + HUGE,
        "/api/v1/favourites?min_id=" + HUGE,
    ],
)
def test_query_ids_out_of_range_are_422(make_user, api_client, path):
    response = api_client(make_user()).get(path)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


def test_edit_with_the_same_image_twice_is_422(make_user, api_client):
    # given a post with one image
    user = make_user()
    client = api_client(user)
    media = do_upload_media(user, png_bytes())
    post = client.post("/api/v1/statuses", {"status": "x", "media_ids": [str(media.id)]}).json()
    # when it is edited to carry that image twice
    response = client.put(f"/api/v1/statuses/{post['id']}", {"status": "y", "media_ids": [str(media.id)] * 2})
    # then refused like the same request on create, and the post keeps one image
    assert response.status_code == 422 and response.json()["code"] == "duplicate_media"
    assert len(client.get(f"/api/v1/statuses/{post['id']}").json()["media_attachments"]) == 1
