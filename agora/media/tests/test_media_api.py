import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (3000, 2000), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def client_for(make_user, make_token):
    from django.test import Client

    def make(scope="read write"):
        user = make_user()
        return Client(headers={"Authorization": f"Bearer {make_token(user, scope)}"}), user

    return make


@pytest.mark.parametrize("path", ["/api/v2/media", "/api/v1/media"])
def test_upload_strips_exif_and_resizes(client_for, path):
    client, _ = client_for()
    r = client.post(
        path,
        {"file": SimpleUploadedFile("x.txt", jpeg_with_exif()), "description": "sky", "focus": "0.5,-0.5"},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["type"] == "image" and body["description"] == "sky"
    assert body["meta"]["original"]["width"] == 2048  # size-limited original
    assert body["meta"]["small"]["width"] <= 400  # thumbnail
    assert body["meta"]["focus"] == {"x": 0.5, "y": -0.5}
    from agora.media.models import MediaAttachment

    m = MediaAttachment.objects.get(id=int(body["id"]))
    assert b"SecretCamera" not in m.file.read()


def test_non_image_and_missing_file_are_clear_4xx(client_for):
    client, _ = client_for()
    r = client.post("/api/v2/media", {"file": SimpleUploadedFile("a.png", b"<html>not an image</html>")})
    assert r.status_code == 422 and r.json()["code"] == "invalid_image"
    r = client.post("/api/v2/media", {})
    assert r.status_code == 422 and r.json()["code"] == "file_required"


def test_oversized_upload_is_413(client_for, settings):
    settings.AGORA = type(settings.AGORA)(**{**settings.AGORA.__dict__, "max_image_bytes": 1000})
    client, _ = client_for()
    r = client.post("/api/v2/media", {"file": SimpleUploadedFile("a.jpg", jpeg_with_exif())})
    assert r.status_code == 413 and r.json()["code"] == "file_too_large"


def test_media_update_and_owner_only(client_for):
    client, _ = client_for()
    other, _ = client_for()
    mid = client.post("/api/v2/media", {"file": SimpleUploadedFile("a.jpg", jpeg_with_exif())}).json()["id"]
    r = client.put(f"/api/v1/media/{mid}", '{"description": "alt"}', content_type="application/json")
    assert r.json()["description"] == "alt"
    assert other.get(f"/api/v1/media/{mid}").status_code == 404
    assert client_for("read")[0].post("/api/v2/media", {}).status_code == 403
