from agora.notifications.models import Notification
from agora.social.actions import do_create_status, do_favourite, do_follow, do_mute


def test_notification_types_filters_dismiss_and_clear(active_user, api_client):
    # given bob follows alice, likes and mentions her
    alice, bob = active_user("alice"), active_user("bob")
    do_follow(bob, alice)
    s = do_create_status(alice, "hi")
    do_favourite(bob, s)
    do_create_status(bob, "hey @alice")
    client = api_client(alice)
    # when alice lists her notifications
    body = client.get("/api/v1/notifications").json()
    # then she sees them newest first, with accounts and statuses
    assert [n["type"] for n in body] == ["mention", "favourite", "follow"]
    assert body[1]["status"]["id"] == str(s.id) and body[2]["status"] is None
    assert [n["type"] for n in client.get("/api/v1/notifications?types[]=follow").json()] == ["follow"]
    assert len(client.get("/api/v1/notifications?exclude_types[]=follow&exclude_types[]=mention").json()) == 1
    nid = body[0]["id"]
    assert client.get(f"/api/v1/notifications/{nid}").json()["type"] == "mention"
    assert client.get("/api/v1/notifications/unread_count").json() == {"count": 3}
    assert client.post(f"/api/v1/notifications/{nid}/dismiss").status_code == 200
    assert client.get(f"/api/v1/notifications/{nid}").status_code == 404
    # another user's notification is not found
    assert api_client(bob).get(f"/api/v1/notifications/{body[1]['id']}").status_code == 404
    client.post("/api/v1/notifications/clear")
    assert client.get("/api/v1/notifications").json() == []


def test_muted_and_self_actions_do_not_notify(active_user):
    alice, bob = active_user("alice"), active_user("bob")
    s = do_create_status(alice, "mine")
    do_favourite(alice, s)
    do_mute(alice, bob)
    do_favourite(bob, s)
    assert Notification.objects.filter(recipient=alice).count() == 0


def test_status_notification_for_notify_on_followers(active_user, api_client):
    alice, bob = active_user("alice"), active_user("bob")
    api_client(bob).post(f"/api/v1/accounts/{alice.id}/follow", {"notify": True})
    do_create_status(alice, "new post")
    assert Notification.objects.filter(recipient=bob, type="status").count() == 1


def test_edit_notifies_rebloggers(active_user, api_client):
    alice, bob = active_user("alice"), active_user("bob")
    s = do_create_status(alice, "v1")
    api_client(bob).post(f"/api/v1/statuses/{s.id}/reblog")
    api_client(alice).put(f"/api/v1/statuses/{s.id}", {"status": "v2"})
    assert Notification.objects.filter(recipient=bob, type="update").count() == 1


def test_dismissing_someone_elses_notification_is_not_found(active_user, api_client):
    # given a notification of alice's (bob followed her)
    alice, bob = active_user("alice"), active_user("bob")
    do_follow(bob, alice)
    (nid,) = [n["id"] for n in api_client(alice).get("/api/v1/notifications").json()]
    # when bob, or anyone else, dismisses it
    refused = api_client(bob).post(f"/api/v1/notifications/{nid}/dismiss")
    # then it is 404 as in Mastodon, and alice still has it
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert api_client(alice).get(f"/api/v1/notifications/{nid}").status_code == 200
    # and an id that is not there (or no longer) is 404 too
    client = api_client(alice)
    assert client.post(f"/api/v1/notifications/{nid}/dismiss").status_code == 200
    assert client.post(f"/api/v1/notifications/{nid}/dismiss").status_code == 404
