import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from agora.social.actions import do_create_status, do_follow
from agora.social.models import Favourite, Follow, Status


@pytest.fixture
def web(active_user):
    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_home_shows_compose_and_followed_posts(active_user, web):
    alice, bob = active_user("alice"), active_user("bob")
    do_follow(bob, alice)
    do_create_status(alice, "hello <b>web</b> #话题#")
    r = web(bob).get("/")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'id="compose"' in html and "hello &lt;b&gt;web&lt;/b&gt;" in html
    assert 'href="/tags/%E8%AF%9D%E9%A2%98"' in html


def test_compose_with_images_cw_and_visibility_via_htmx(active_user, web, png):
    alice = active_user("alice")
    r = web(alice).post(
        "/statuses/new",
        {
            "status": "pics #猫#",
            "spoiler_text": "cats",
            "visibility": "unlisted",
            "images": [SimpleUploadedFile("a.png", png()), SimpleUploadedFile("b.png", png())],
        },
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200
    s = Status.objects.get()
    assert (s.visibility, s.spoiler_text, s.sensitive, s.media_links.count()) == ("unlisted", "cats", True, 2)
    assert 'class="post"' in r.content.decode() and "grid9--2" in r.content.decode()


def test_compose_error_is_shown_not_500(active_user, web):
    r = web(active_user("alice")).post("/statuses/new", {"status": ""}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and r["HX-Retarget"] == "#compose-errors"
    assert "needs text" in r.content.decode()


def test_like_repost_and_follow_with_htmx(active_user, web):
    alice, bob = active_user("alice"), active_user("bob")
    s = do_create_status(alice, "like me")
    c = web(bob)
    r = c.post(f"/statuses/{s.id}/favourite", headers={"HX-Request": "true"})
    assert r.status_code == 200 and 'aria-pressed="true"' in r.content.decode()
    assert Favourite.objects.filter(account=bob, status=s).exists()
    c.post(f"/statuses/{s.id}/reblog", headers={"HX-Request": "true"})
    assert Status.objects.filter(reblog_of=s, author=bob).exists()
    r = c.post("/@alice/follow", headers={"HX-Request": "true"})
    assert 'data-state="following"' in r.content.decode()
    assert Follow.objects.filter(follower=bob, followee=alice).exists()
    r = c.post("/@alice/follow", headers={"HX-Request": "true"})
    assert 'data-state="none"' in r.content.decode()


def test_post_page_with_replies_and_delete(active_user, web, api_client):
    alice, bob = active_user("alice"), active_user("bob")
    s = do_create_status(alice, "root post")
    do_create_status(bob, "a reply", in_reply_to_id=s.id)
    html = web(bob).get(f"/@alice/{s.id}").content.decode()
    assert "root post" in html and "a reply" in html
    assert web(bob).post(f"/statuses/{s.id}/delete").status_code == 404
    web(alice).post(f"/statuses/{s.id}/delete", headers={"HX-Request": "true"})
    assert web(bob).get(f"/@alice/{s.id}").status_code == 404


def test_private_post_page_is_404_for_strangers(active_user, web):
    alice, bob = active_user("alice"), active_user("bob")
    s = do_create_status(alice, "secret", visibility="private")
    assert web(bob).get(f"/@alice/{s.id}").status_code == 404
    assert Client().get(f"/@alice/{s.id}").status_code == 404


def test_profile_tabs_and_follow_button(active_user, web, png):
    from agora.media.actions import do_upload_media

    alice, bob = active_user("alice"), active_user("bob")
    root = do_create_status(alice, "plain post")
    do_create_status(alice, "my reply", in_reply_to_id=root.id)
    do_create_status(alice, "with image", media_ids=[do_upload_media(alice, png()).id])
    c = web(bob)
    html = c.get("/@alice").content.decode()
    assert "plain post" in html and "my reply" not in html and 'data-state="none"' in html
    assert "my reply" in c.get("/@alice/replies").content.decode()
    media = c.get("/@alice/media").content.decode()
    assert "with image" in media and "plain post" not in media


def test_tag_page_follow_and_load_more(active_user, web):
    alice = active_user("alice")
    for i in range(25):
        do_create_status(alice, f"post {i} #Topic")
    c = web(alice)
    html = c.get("/tags/topic").content.decode()
    assert html.count('class="post"') == 20 and "Load more" in html
    assert c.post("/tags/topic/follow").status_code == 302
    assert "Unfollow topic" in c.get("/tags/topic").content.decode()
    first_page_last = Status.objects.order_by("id")[5].id  # the 20th newest
    more = c.get(f"/tags/topic?max_id={first_page_last}", headers={"HX-Request": "true"}).content.decode()
    assert more.count('class="post"') == 5 and "<html" not in more


def test_notifications_page_and_unread_badge(active_user, web):
    alice, bob = active_user("alice"), active_user("bob")
    do_follow(bob, alice)
    do_create_status(bob, "hi @alice")
    c = web(alice)
    assert 'class="nav-badge"' in c.get("/public").content.decode()
    html = c.get("/notifications").content.decode()
    assert "followed you" in html and "mentioned you" in html
    assert 'class="nav-badge"' in c.get("/public").content.decode()  # a GET changes nothing
    c.post("/notifications/read")  # what the page posts on load
    assert 'class="nav-badge"' not in c.get("/public").content.decode()  # read now


def test_chinese_translation(active_user, web):
    c = web(active_user("alice"))
    c.cookies.load({"django_language": "zh-hans"})
    html = c.get("/public", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "发布" in html


def test_rss_and_atom_feeds_show_only_public_posts(active_user):
    alice = active_user("alice")
    do_create_status(alice, "public #feeds")
    do_create_status(alice, "followers only #feeds", visibility="private")
    c = Client()
    rss = c.get("/@alice/feed.rss")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert "public" in body and "followers only" not in body
    atom = c.get("/tags/feeds/feed.atom")
    assert atom.status_code == 200 and "<feed" in atom.content.decode()
    assert "followers only" not in atom.content.decode()
    assert c.get("/tags/nothing/feed.rss").status_code == 404
