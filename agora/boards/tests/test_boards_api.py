"""Boards through the API: CRUD, privacy by id, pins of each kind, idempotent saves, pagination."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT

from agora.boards.models import Board, Pin
from agora.boards.selectors import wishlist_of
from agora.catalog.testing import make_product
from agora.shops.testing import make_shop
from agora.social.actions import do_create_status
from agora.social.testing import png_bytes


@pytest.fixture
def product(make_user):
    return make_product(make_shop(make_user("seller")), title="Tea set", price="129.00")


def _new_board(client, **fields):
    response = client.post("/api/v1/boards", {"name": "Kitchen", **fields})
    assert response.status_code == 201, response.content
    return response.json()


def test_board_crud(make_user, api_client):
    # given a user with a token
    client = api_client(make_user("ann"))
    # when they create, read, rename and delete a board
    board = _new_board(client, description="pots", private=False)
    assert board["name"] == "Kitchen" and board["private"] is False and board["pins_count"] == 0
    assert client.get(f"/api/v1/boards/{board['id']}").json()["description"] == "pots"
    patched = client.patch(f"/api/v1/boards/{board['id']}", {"name": "Cooking", "private": True})
    assert patched.status_code == 200 and patched.json()["name"] == "Cooking" and patched.json()["private"]
    assert [b["name"] for b in client.get("/api/v1/boards").json()] == ["Cooking"]
    # then deleting it removes it
    assert client.delete(f"/api/v1/boards/{board['id']}").status_code == 200
    assert client.get(f"/api/v1/boards/{board['id']}").status_code == 404


def test_bad_board_input_is_422(make_user, api_client):
    client = api_client(make_user())
    response = client.post("/api/v1/boards", {"name": "   "})
    assert response.status_code == 422 and response.json()["code"] == "name_required"


def test_private_board_and_its_pins_are_404_for_others_even_by_id(make_user, api_client, product):
    # given ann's private board with a pin
    ann, bob = make_user("ann"), make_user("bob")
    owner = api_client(ann)
    board = _new_board(owner, private=True)
    pin = owner.post(f"/api/v1/boards/{board['id']}/pins", {"product_id": str(product.id)}).json()
    # when bob asks for it, its pins, its pin, or follows it
    other = api_client(bob)
    for response in (
        other.get(f"/api/v1/boards/{board['id']}"),
        other.get(f"/api/v1/boards/{board['id']}/pins"),
        other.delete(f"/api/v1/boards/{board['id']}/pins/{pin['id']}"),
        other.post(f"/api/v1/boards/{board['id']}/follow"),
        other.patch(f"/api/v1/boards/{board['id']}", {"name": "mine"}),
        api_client().get(f"/api/v1/boards/{board['id']}"),
    ):
        # then it does not exist for him, in the project's error shape
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    # and ann's account lists only her public boards to him
    _new_board(owner, name="Open")
    assert [b["name"] for b in other.get(f"/api/v1/accounts/{ann.id}/boards").json()] == ["Open"]
    assert Pin.objects.count() == 1


def test_public_board_cannot_be_changed_by_others(make_user, api_client, product):
    board = _new_board(api_client(make_user("ann")))
    other = api_client(make_user("bob"))
    assert other.get(f"/api/v1/boards/{board['id']}").status_code == 200
    pinned = other.post(f"/api/v1/boards/{board['id']}/pins", {"product_id": str(product.id)})
    assert pinned.status_code == 404
    assert other.delete(f"/api/v1/boards/{board['id']}").status_code == 404


def test_saving_the_same_product_twice_is_a_no_op(make_user, api_client, product):
    client = api_client(make_user())
    board = _new_board(client)
    first = client.post(f"/api/v1/boards/{board['id']}/pins", {"product_id": str(product.id), "note": "gift"})
    again = client.post(f"/api/v1/boards/{board['id']}/pins", {"product_id": str(product.id)})
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["product"]["title"] == "Tea set" and first.json()["note"] == "gift"
    assert Pin.objects.count() == 1 and Board.objects.get().pins_count == 1


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({}, 422, "one_target"),
        ({"product_id": "PRODUCT", "status_id": "1"}, 422, "one_target"),
        ({"product_id": "999"}, 409, "target_not_found"),
        ({"product_id": "DELISTED"}, 409, "target_not_found"),
        ({"status_id": "PRIVATE"}, 409, "target_not_found"),
        ({"product_id": "PRODUCT", "note": "x" * 501}, 422, "note_too_long"),
    ],
)
def test_bad_pins_are_refused_and_write_nothing(make_user, api_client, product, body, status, code):
    # given a delisted product and a post the pinner may not see
    delisted = make_product(product.shop, title="Gone")
    type(delisted).objects.filter(id=delisted.id).update(is_listed=False)
    hidden = do_create_status(make_user("carol"), "only mine", visibility="direct")
    values = {"PRODUCT": str(product.id), "DELISTED": str(delisted.id), "PRIVATE": str(hidden.id)}
    body = {k: values.get(v, v) for k, v in body.items()}
    client = api_client(make_user())
    board = _new_board(client)
    # when the pin is refused
    response = client.post(f"/api/v1/boards/{board['id']}/pins", body)
    # then it is refused with a reason (409 for a target the pinner cannot see), and nothing is written
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert Pin.objects.count() == 0


def test_pin_a_post_and_unpin_it(make_user, api_client):
    author = make_user("dan")
    status = do_create_status(author, "a fine teapot")
    client = api_client(make_user())
    board = _new_board(client)
    pin = client.post(f"/api/v1/boards/{board['id']}/pins", {"status_id": str(status.id)}).json()
    assert pin["kind"] == "status" and pin["status"]["id"] == str(status.id)
    assert client.delete(f"/api/v1/boards/{board['id']}/pins/{pin['id']}").status_code == 200
    assert client.get(f"/api/v1/boards/{board['id']}/pins").json() == []
    assert Board.objects.get().pins_count == 0


def test_a_pinned_post_that_becomes_hidden_is_not_shown(make_user, api_client):
    author = make_user("dan")
    status = do_create_status(author, "soon private")
    client = api_client(make_user())
    board = _new_board(client)
    client.post(f"/api/v1/boards/{board['id']}/pins", {"status_id": str(status.id)})
    type(status).objects.filter(id=status.id).update(visibility="direct")
    assert client.get(f"/api/v1/boards/{board['id']}/pins").json() == []


def test_pins_paginate_with_a_link_header(make_user, api_client, product):
    client = api_client(make_user())
    board = _new_board(client)
    products = [make_product(product.shop, title=f"P{i}") for i in range(5)]
    for p in products:
        client.post(f"/api/v1/boards/{board['id']}/pins", {"product_id": str(p.id)})
    first = client.get(f"/api/v1/boards/{board['id']}/pins?limit=2")
    assert [p["product"]["title"] for p in first.json()] == ["P4", "P3"]
    link = first["Link"]
    assert 'rel="next"' in link and 'rel="prev"' in link
    next_url = link.split(">")[0].lstrip("<")
    second = client.get(next_url)
    assert [p["product"]["title"] for p in second.json()] == ["P2", "P1"]


def test_follow_and_unfollow_a_public_board(make_user, api_client):
    board = _new_board(api_client(make_user("ann")))
    fan = api_client(make_user("bob"))
    followed = fan.post(f"/api/v1/boards/{board['id']}/follow")
    assert followed.status_code == 200 and followed.json()["followers_count"] == 1
    assert fan.post(f"/api/v1/boards/{board['id']}/follow").json()["followers_count"] == 1
    assert fan.get(f"/api/v1/boards/{board['id']}").json()["following"] is True
    assert fan.post(f"/api/v1/boards/{board['id']}/unfollow").json()["followers_count"] == 0


def test_scopes_are_enforced(make_user, api_client):
    reader = api_client(make_user(), scope="read")
    assert reader.post("/api/v1/boards", {"name": "x"}).status_code == 403


def test_pin_one_picture_of_a_post(make_user, api_client, media_root):
    # given a post with a picture, uploaded through the media API
    author = make_user("dan")
    uploader = api_client(author)
    upload = uploader.post(
        "/api/v2/media",
        {"file": SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")},
        content_type=MULTIPART_CONTENT,
    )
    assert upload.status_code in (200, 202), upload.content
    media_id = int(upload.json()["id"])
    status = do_create_status(author, "look", media_ids=[media_id])
    client = api_client(make_user())
    board = _new_board(client)
    # when the picture is pinned (twice)
    pin = client.post(f"/api/v1/boards/{board['id']}/pins", {"media_id": str(media_id)})
    again = client.post(f"/api/v1/boards/{board['id']}/pins", {"media_id": str(media_id)})
    # then it is one pin of kind media, pointing at its post, with its picture as the board's cover
    assert pin.status_code == 201 and again.status_code == 200
    assert pin.json()["kind"] == "media" and pin.json()["status"]["id"] == str(status.id)
    assert pin.json()["picture"]
    assert client.get(f"/api/v1/boards/{board['id']}").json()["cover"] == pin.json()["picture"]


def test_public_board_reads_without_a_token_and_bad_ids_are_4xx(make_user, api_client, product):
    owner = api_client(make_user("ann"))
    board = _new_board(owner)
    pin = owner.post(f"/api/v1/boards/{board['id']}/pins", {"product_id": str(product.id)}).json()
    anonymous = api_client()
    assert anonymous.get(f"/api/v1/boards/{board['id']}").status_code == 200
    assert [p["id"] for p in anonymous.get(f"/api/v1/boards/{board['id']}/pins").json()] == [pin["id"]]
    assert anonymous.get("/api/v1/boards").status_code == 401
    assert owner.get("/api/v1/boards/notanid").status_code in (404, 422)
    assert owner.get(f"/api/v1/boards/{2**64}").status_code in (404, 422)
    # a pin id of another board is missing on this one
    other = _new_board(owner, name="Other")
    assert owner.delete(f"/api/v1/boards/{other['id']}/pins/{pin['id']}").status_code == 404


def test_the_wishlist_stays_private_and_cannot_be_deleted(make_user, api_client):
    user = make_user()
    wishlist = wishlist_of(user)
    client = api_client(user)
    assert client.patch(f"/api/v1/boards/{wishlist.id}", {"private": False}).json()["private"] is True
    response = client.delete(f"/api/v1/boards/{wishlist.id}")
    assert response.status_code == 403 and response.json()["code"] == "wishlist_kept"
