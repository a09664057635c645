"""The one-round-trip home read on Redis (agora/feeds/fastpath.py) agrees with the general path,
refills the reader's expired lists itself and steps aside whenever a timeline is not stored."""

import pytest

from agora.core.hotcache import redis_client
from agora.core.pagination import PageParams
from agora.feeds import fastpath
from agora.feeds.selectors import home_timeline_ids
from agora.feeds.store import get_store
from agora.feeds.tests.test_home_timeline import home_ids
from agora.social.actions import do_block, do_create_status, do_follow, do_mute, do_reblog
from agora.social.relations import celebs_cache_key, rf_cache_key
from agora.social.serializers import _sj_key, _tag_key


@pytest.fixture
def graph(timeline_redis, active_user, api_client, settings):
    """bob follows alice, carol (who reposts alice) and a celebrity; mallory blocked bob."""
    settings.AGORA = type(settings.AGORA)(**{**settings.AGORA.__dict__, "fanout_threshold": 1})
    alice, bob, carol, star, mallory = (active_user(n) for n in ("alice", "bob", "carol", "star", "mallory"))
    do_follow(active_user("fan"), star)
    for followee in (alice, carol, star, mallory):
        do_follow(bob, followee)
    home_ids(api_client, bob)  # bob's timeline is stored, his sets cached
    posts = [do_create_status(alice, f"alice {i}") for i in range(3)]
    posts.append(do_reblog(carol, posts[0]))
    posts.append(do_create_status(star, "from the star"))
    do_block(mallory, bob)
    posts.append(do_create_status(alice, "newest"))
    return bob, posts, mallory


def test_warm_read_matches_the_general_path(graph, api_client):
    bob, posts, mallory = graph
    shown = home_ids(api_client, bob)  # fills the status JSON and reader caches
    # when the warm read runs
    fast = fastpath.candidates(bob.id, max_id=None, since_id=None, want=50)
    # then it found the same candidates as the general path
    assert fast is not None
    assert fast.ids == home_timeline_ids(bob, PageParams())
    assert [str(i) for i in fast.ids] == shown
    assert fast.rf.blocked == {mallory.id}  # the block, in either direction
    # and the page over the API is the same whichever path served it
    assert home_ids(api_client, bob) == shown


def test_pages_by_max_id_and_since_id(graph, api_client):
    bob, posts, mallory = graph
    home_ids(api_client, bob)
    ids = fastpath.candidates(bob.id, max_id=None, since_id=None, want=50).ids
    older = fastpath.candidates(bob.id, max_id=ids[1], since_id=None, want=2)
    newer = fastpath.candidates(bob.id, max_id=None, since_id=ids[2], want=50)
    assert older.ids == ids[2:4]
    assert newer.ids == ids[:2]


@pytest.mark.parametrize("forget", ["filter", "celebrities"])
def test_expired_reader_lists_are_refilled_within_the_read(
    graph, api_client, active_user, forget, django_assert_num_queries
):
    # given bob also blocks troll and mutes bore, and one of his cached lists has expired
    bob, posts, mallory = graph
    troll, bore = active_user("troll"), active_user("bore")
    do_block(bob, troll)
    do_mute(bob, bore)
    shown = home_ids(api_client, bob)
    r = redis_client()
    r.delete(rf_cache_key(bob.id) if forget == "filter" else celebs_cache_key(bob.id))
    # when the fast read runs, it loads both lists in one query and reads again
    with django_assert_num_queries(1):
        fast = fastpath.candidates(bob.id, max_id=None, since_id=None, want=50)
    # then it served the read itself, with blocks either way, mutes and the celebrity followed
    assert fast is not None
    assert fast.rf.blocked == {mallory.id, troll.id}
    assert fast.rf.muted == {bore.id}
    assert r.get(celebs_cache_key(bob.id)) == str(posts[4].author_id).encode()
    assert [str(i) for i in fast.ids][: len(shown)] == shown
    assert home_ids(api_client, bob) == shown


@pytest.mark.parametrize("forget", ["timeline", "outbox"])
def test_anything_missing_sends_the_read_to_the_general_path(graph, api_client, forget):
    bob, posts, mallory = graph
    shown = home_ids(api_client, bob)
    store, r = get_store(), redis_client()
    key = {
        "timeline": store.key(bob.id),
        "outbox": store.outbox_key(posts[4].author_id),
    }[forget]
    r.delete(key)
    assert fastpath.candidates(bob.id, max_id=None, since_id=None, want=50) is None
    # and the general path rebuilds what was missing: the same page, then the fast read again
    assert home_ids(api_client, bob) == shown
    assert fastpath.candidates(bob.id, max_id=None, since_id=None, want=50) is not None


def test_every_shorter_page_is_a_prefix_of_the_longer_one(graph, api_client):
    # The outboxes are read only down to the stored page's last member: a page of any length is
    # still the newest of all the lists together.
    bob, posts, mallory = graph
    home_ids(api_client, bob)
    full = fastpath.candidates(bob.id, max_id=None, since_id=None, want=50).ids
    for want in range(1, len(full) + 1):
        assert fastpath.candidates(bob.id, max_id=None, since_id=None, want=want).ids == full[:want]
        older = fastpath.candidates(bob.id, max_id=full[0], since_id=None, want=want).ids
        assert older == full[1 : want + 1]


@pytest.mark.parametrize("lost", ["json", "tag", "both"])
def test_expired_status_json_is_rebuilt(graph, api_client, lost):
    bob, posts, mallory = graph
    shown = home_ids(api_client, bob)
    # when the cached JSON of a post and of a reposted post (or the keys holding their tags) expire
    keys = {"json": [_sj_key], "tag": [_tag_key], "both": [_sj_key, _tag_key]}[lost]
    redis_client().delete(*[key(s.id) for s in (posts[1], posts[0]) for key in keys])
    # then the warm read still shows them, the repost with its original inside
    rows = api_client(bob).get("/api/v1/timelines/home").json()
    assert [r["id"] for r in rows] == shown
    repost = next(r for r in rows if r["id"] == str(posts[3].id))
    assert repost["reblog"]["id"] == str(posts[0].id)


def test_a_post_both_stored_and_in_an_outbox_shows_once(graph, api_client):
    # given the star's post is also in bob's stored timeline (pushed before the star crossed the
    # fan-out threshold)
    bob, posts, mallory = graph
    star_post = posts[4]
    get_store().merge(bob.id, [(star_post.id, star_post.author_id)])
    shown = home_ids(api_client, bob)
    # then both paths show it once
    fast = fastpath.candidates(bob.id, max_id=None, since_id=None, want=50)
    assert fast.ids.count(star_post.id) == 1
    assert fast.ids == home_timeline_ids(bob, PageParams())
    assert shown.count(str(star_post.id)) == 1
