import pytest

from agora.accounts.models import User
from agora.notifications.models import Notification
from agora.social.models import Status, Tag


@pytest.fixture
def alice(active_user):
    return active_user("alice")


@pytest.fixture
def bob(active_user):
    return active_user("bob")


def post(client, text, **extra):
    return client.post("/api/v1/statuses", {"status": text, **extra})


def test_create_status_renders_mentions_tags_and_counts(alice, bob, api_client):
    # given alice with a write token
    client = api_client(alice)
    # when she posts mentioning bob with a Weibo topic
    r = post(client, "hello @bob #双十一购物节# <b>x</b>", language="zh")
    # then the status comes back in Mastodon's shape with string ids and safe HTML
    assert r.status_code == 200, r.content
    body = r.json()
    assert isinstance(body["id"], str)
    assert body["mentions"][0]["username"] == "bob"
    assert body["tags"][0]["name"] == "双十一购物节"
    assert "<b>" not in body["content"] and "&lt;b&gt;" in body["content"]
    assert body["account"]["username"] == "alice"
    alice.refresh_from_db()
    assert alice.statuses_count == 1
    # and bob is notified of the mention
    assert Notification.objects.filter(recipient=bob, type="mention").count() == 1


def test_text_limit_and_empty_post_are_422(alice, api_client, settings):
    client = api_client(alice)
    r = post(client, "x" * (settings.AGORA.max_post_chars + 1))
    assert r.status_code == 422 and r.json()["code"] == "text_too_long"
    r = post(client, "   ")
    assert r.status_code == 422 and r.json()["code"] == "empty_status"
    r = post(client, "hi", visibility="everyone")
    assert r.status_code == 422


def test_form_encoded_post_with_media_ids(alice, api_client, png):
    from agora.media.actions import do_upload_media

    client = api_client(alice)
    media_ids = [str(do_upload_media(alice, png()).id) for _ in range(2)]
    r = client.post(
        "/api/v1/statuses",
        f"status=pics&media_ids[]={media_ids[0]}&media_ids[]={media_ids[1]}",
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 200, r.content
    assert [m["id"] for m in r.json()["media_attachments"]] == media_ids
    # the same upload cannot be attached twice
    r = post(client, "again", media_ids=[media_ids[0]])
    assert r.status_code == 422 and r.json()["code"] == "invalid_media"


def test_at_most_nine_images(alice, api_client, png):
    from agora.media.actions import do_upload_media

    ids = [str(do_upload_media(alice, png()).id) for _ in range(10)]
    r = post(api_client(alice), "ten", media_ids=ids)
    assert r.status_code == 422 and r.json()["code"] == "too_many_media"


def test_edit_keeps_history_and_delete_removes(alice, bob, api_client):
    client = api_client(alice)
    sid = post(client, "first #one").json()["id"]
    r = client.put(f"/api/v1/statuses/{sid}", {"status": "second #two"})
    assert r.status_code == 200 and r.json()["edited_at"]
    assert [t["name"] for t in r.json()["tags"]] == ["two"]
    history = client.get(f"/api/v1/statuses/{sid}/history").json()
    assert ["first" in h["content"] for h in history] == [True, False]
    # bob may not edit or delete alice's post
    assert api_client(bob).put(f"/api/v1/statuses/{sid}", {"status": "hacked"}).status_code == 404
    assert api_client(bob).delete(f"/api/v1/statuses/{sid}").status_code == 404
    r = client.delete(f"/api/v1/statuses/{sid}")
    assert r.status_code == 200 and r.json()["text"] == "second #two"
    assert client.get(f"/api/v1/statuses/{sid}").status_code == 404
    alice.refresh_from_db()
    assert alice.statuses_count == 0


def test_private_and_direct_visibility(alice, bob, active_user, api_client):
    carol = active_user("carol")
    client = api_client(alice)
    private = post(client, "followers only", visibility="private").json()["id"]
    direct = post(client, "psst @carol", visibility="direct").json()["id"]
    # bob does not follow alice: both are not found (never 403: existence is not leaked)
    assert api_client(bob).get(f"/api/v1/statuses/{private}").status_code == 404
    assert api_client(bob).get(f"/api/v1/statuses/{direct}").status_code == 404
    assert api_client(carol).get(f"/api/v1/statuses/{direct}").status_code == 200
    api_client(bob).post(f"/api/v1/accounts/{alice.id}/follow")
    assert api_client(bob).get(f"/api/v1/statuses/{private}").status_code == 200
    assert api_client().get(f"/api/v1/statuses/{private}").status_code == 404


def test_replies_context_and_counts(alice, bob, api_client):
    a = api_client(alice)
    b = api_client(bob)
    root = post(a, "root").json()["id"]
    reply = post(b, "reply", in_reply_to_id=root).json()["id"]
    post(a, "reply to reply", in_reply_to_id=reply)
    ctx = a.get(f"/api/v1/statuses/{reply}/context").json()
    assert [s["id"] for s in ctx["ancestors"]] == [root]
    assert len(ctx["descendants"]) == 1
    assert a.get(f"/api/v1/statuses/{root}").json()["replies_count"] == 1
    assert Notification.objects.filter(recipient=alice, type="mention", actor=bob).exists()


def test_reblog_favourite_bookmark_round_trip(alice, bob, api_client):
    a, b = api_client(alice), api_client(bob)
    sid = post(a, "like me").json()["id"]
    r = b.post(f"/api/v1/statuses/{sid}/reblog")
    assert r.status_code == 200 and r.json()["reblog"]["id"] == sid
    assert b.post(f"/api/v1/statuses/{sid}/reblog").json()["id"] == r.json()["id"]  # idempotent
    assert b.post(f"/api/v1/statuses/{sid}/favourite").json()["favourited"] is True
    b.post(f"/api/v1/statuses/{sid}/favourite")
    assert b.post(f"/api/v1/statuses/{sid}/bookmark").json()["bookmarked"] is True
    body = b.get(f"/api/v1/statuses/{sid}").json()
    assert (body["reblogs_count"], body["favourites_count"], body["reblogged"]) == (1, 1, True)
    assert [x["username"] for x in a.get(f"/api/v1/statuses/{sid}/favourited_by").json()] == ["bob"]
    assert [x["username"] for x in a.get(f"/api/v1/statuses/{sid}/reblogged_by").json()] == ["bob"]
    assert [x["id"] for x in b.get("/api/v1/favourites").json()] == [sid]
    assert [x["id"] for x in b.get("/api/v1/bookmarks").json()] == [sid]
    assert b.post(f"/api/v1/statuses/{sid}/unreblog").json()["reblogs_count"] == 0
    assert b.post(f"/api/v1/statuses/{sid}/unfavourite").json()["favourites_count"] == 0
    assert b.post(f"/api/v1/statuses/{sid}/unbookmark").json()["bookmarked"] is False
    kinds = set(Notification.objects.filter(recipient=alice).values_list("type", flat=True))
    assert kinds == {"reblog", "favourite"}


def test_repost_with_comment_carries_weibo_chain_to_original(alice, bob, active_user, api_client):
    carol = active_user("carol")
    original = post(api_client(alice), "original post").json()["id"]
    first = post(api_client(bob), "bob says", quoted_status_id=original).json()
    second = post(api_client(carol), "carol says", quoted_status_id=first["id"]).json()
    # the chain is in the text, Weibo style, and both point at the original
    assert first["quote"]["quoted_status"]["id"] == original
    assert second["quote"]["quoted_status"]["id"] == original
    import re

    assert re.sub(r"<[^>]+>", "", second["content"]) == "carol says //@bob: bob says"
    assert Status.objects.get(id=second["id"]).text == "carol says //@bob: bob says"
    assert api_client(alice).get(f"/api/v1/statuses/{original}").json()["reblogs_count"] == 2
    assert Notification.objects.filter(recipient=alice, type="quote").count() == 2


def test_tags_api_and_follow(alice, api_client):
    a = api_client(alice)
    post(a, "#Django# and #python")
    assert a.get("/api/v1/tags/django").json()["name"] == "Django"
    assert a.post("/api/v1/tags/DJANGO/follow").json()["following"] is True
    assert [t["name"] for t in a.get("/api/v1/followed_tags").json()] == ["Django"]
    assert a.post("/api/v1/tags/django/unfollow").json()["following"] is False
    assert a.get("/api/v1/tags/nothing").status_code == 404
    assert Tag.objects.count() == 2


def test_scopes_are_enforced(alice, api_client):
    r = api_client(alice, scope="read").post("/api/v1/statuses", {"status": "x"})
    assert r.status_code == 403 and r.json()["code"] == "insufficient_scope"
    assert api_client().post("/api/v1/statuses", {"status": "x"}).status_code == 401


def test_instance_reports_limits(db, api_client):
    cfg = api_client().get("/api/v2/instance").json()["configuration"]["statuses"]
    assert cfg["max_characters"] == 2000 and cfg["max_media_attachments"] == 9


def test_account_statuses_filters(alice, api_client):
    a = api_client(alice)
    root = post(a, "root").json()["id"]
    post(a, "self reply", in_reply_to_id=root)
    other = User.objects.create(username="zed", last_active_at=None)
    zpost = post(api_client(other), "z").json()["id"]
    post(a, "reply to z", in_reply_to_id=zpost)
    a.post(f"/api/v1/statuses/{root}/pin")
    all_ = a.get(f"/api/v1/accounts/{alice.id}/statuses").json()
    assert len(all_) == 3
    assert len(a.get(f"/api/v1/accounts/{alice.id}/statuses?exclude_replies=true").json()) == 2
    assert [s["id"] for s in a.get(f"/api/v1/accounts/{alice.id}/statuses?pinned=true").json()] == [root]
    assert a.get(f"/api/v1/accounts/{alice.id}/statuses?only_media=true").json() == []


def test_idempotency_key_posts_once(alice, api_client, settings):
    # The platform stream's generic middleware handles Idempotency-Key on every /api/ POST.
    if "agora.core.idempotency.IdempotencyMiddleware" not in settings.MIDDLEWARE:
        pytest.skip("Idempotency middleware not installed yet")
    client = api_client(alice)
    headers = {"Idempotency-Key": "abc-123"}
    first = client.post("/api/v1/statuses", {"status": "once"}, headers=headers)
    second = client.post("/api/v1/statuses", {"status": "once"}, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert Status.objects.filter(author=alice).count() == 1
