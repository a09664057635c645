from agora.notifications.models import Notification
from agora.social.models import Follow


def test_follow_unfollow_counts_and_relationships(active_user, api_client):
    alice, bob = active_user("alice"), active_user("bob")
    b = api_client(bob)
    rel = b.post(f"/api/v1/accounts/{alice.id}/follow").json()
    assert rel["following"] is True and rel["id"] == str(alice.id)
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.followers_count, bob.following_count) == (1, 1)
    rels = b.get(f"/api/v1/accounts/relationships?id[]={alice.id}&id[]={bob.id}").json()
    assert [r["following"] for r in rels] == [True, False]
    assert [a["username"] for a in b.get(f"/api/v1/accounts/{alice.id}/followers").json()] == ["bob"]
    assert [a["username"] for a in b.get(f"/api/v1/accounts/{bob.id}/following").json()] == ["alice"]
    assert b.post(f"/api/v1/accounts/{alice.id}/unfollow").json()["following"] is False
    alice.refresh_from_db()
    assert alice.followers_count == 0


def test_locked_account_follow_requests(active_user, api_client):
    alice, bob = active_user("alice", locked=True), active_user("bob")
    rel = api_client(bob).post(f"/api/v1/accounts/{alice.id}/follow").json()
    assert rel["requested"] is True and rel["following"] is False
    a = api_client(alice)
    assert [x["username"] for x in a.get("/api/v1/follow_requests").json()] == ["bob"]
    assert Notification.objects.filter(recipient=alice, type="follow_request").count() == 1
    rel = a.post(f"/api/v1/follow_requests/{bob.id}/authorize").json()
    assert rel["followed_by"] is True
    assert Follow.objects.filter(follower=bob, followee=alice).exists()
    assert a.post(f"/api/v1/follow_requests/{bob.id}/reject").status_code == 404


def test_block_ends_follows_both_ways_and_forbids_follow(active_user, api_client):
    alice, bob = active_user("alice"), active_user("bob")
    api_client(bob).post(f"/api/v1/accounts/{alice.id}/follow")
    api_client(alice).post(f"/api/v1/accounts/{bob.id}/follow")
    rel = api_client(alice).post(f"/api/v1/accounts/{bob.id}/block").json()
    assert rel["blocking"] is True and rel["following"] is False and rel["followed_by"] is False
    assert api_client(bob).post(f"/api/v1/accounts/{alice.id}/follow").status_code == 404
    assert (
        api_client(bob).get(f"/api/v1/accounts/relationships?id[]={alice.id}").json()[0]["blocked_by"] is True
    )
    assert [x["username"] for x in api_client(alice).get("/api/v1/blocks").json()] == ["bob"]
    assert api_client(alice).post(f"/api/v1/accounts/{bob.id}/unblock").json()["blocking"] is False


def test_mute_and_scopes(active_user, api_client):
    alice, bob = active_user("alice"), active_user("bob")
    assert api_client(alice, scope="read").post(f"/api/v1/accounts/{bob.id}/mute").status_code == 403
    rel = api_client(alice, scope="follow").post(f"/api/v1/accounts/{bob.id}/mute").json()
    assert rel["muting"] is True and rel["muting_notifications"] is True
    assert api_client(alice).post(f"/api/v1/accounts/{bob.id}/unmute").json()["muting"] is False
    assert api_client(alice).post(f"/api/v1/accounts/{alice.id}/follow").status_code == 403
    assert api_client(alice).post("/api/v1/accounts/999/follow").status_code == 404
