"""The square's fast reads (agora/social/fastpath.py) and their ORM twins give the same answers: a
reader's flags on statuses and a reader's hidden accounts and celebrity followees."""

from dataclasses import replace

import pytest
from django.db import connection

from agora.social.actions import (
    do_block,
    do_bookmark,
    do_create_status,
    do_favourite,
    do_follow,
    do_mute,
    do_reblog,
)
from agora.social.relations import load_reader_lists
from agora.social.selectors import viewer_flags


def both(settings, read):
    fast = read()
    settings.AGORA = replace(settings.AGORA, fast_paths=False)
    orm = read()
    settings.AGORA = replace(settings.AGORA, fast_paths=True)
    return fast, orm


def test_viewer_flags_agree(active_user, settings):
    alice, bob = active_user("alice"), active_user("bob")
    posts = [do_create_status(alice, f"post {i}") for i in range(5)]
    do_favourite(bob, posts[0])
    do_favourite(bob, posts[1])
    do_bookmark(bob, posts[1])
    do_reblog(bob, posts[2])
    do_favourite(alice, posts[3])  # someone else's like is not bob's flag
    ids = [p.id for p in posts]
    fast, orm = both(settings, lambda: viewer_flags(bob.id, ids))
    assert (
        fast
        == orm
        == {
            "favourited": {posts[0].id, posts[1].id},
            "reblogged": {posts[2].id},
            "bookmarked": {posts[1].id},
        }
    )
    assert (
        both(settings, lambda: viewer_flags(bob.id, []))[0]
        == both(settings, lambda: viewer_flags(None, ids))[1]
    )
    if connection.vendor != "postgresql":
        pytest.skip("the flags' fast path is PostgreSQL's; on SQLite both sides ran the ORM")


def test_reader_lists_agree(active_user, settings):
    settings.AGORA = replace(settings.AGORA, fanout_threshold=1)
    bob, star, small, pest, hater, loud = (
        active_user(n) for n in ("bob", "star", "small", "pest", "hater", "loud")
    )
    do_follow(active_user("fan"), star)
    do_follow(bob, star)
    do_follow(bob, small)
    do_block(bob, pest)
    do_block(hater, bob)
    do_mute(bob, loud)
    fast, orm = both(settings, lambda: load_reader_lists(bob.id))
    assert fast == orm == ({pest.id, hater.id}, {loud.id}, {star.id})


def test_shoppable_status_json_agrees(active_user, settings):
    # the status JSON of posts carrying products (with the reader's flags) is the same either way
    from agora.catalog.testing import make_product
    from agora.shops.testing import make_shop
    from agora.social.access import load_statuses
    from agora.social.serializers import statuses_json

    alice, bob = active_user("alice"), active_user("bob")
    shop = make_shop(active_user("seller"))
    goods = [make_product(shop, title=f"Good {i}", stock=i % 2) for i in range(3)]
    posts = [do_create_status(alice, f"post {i}", product_ids=[g.id for g in goods[i:]]) for i in range(3)]
    do_favourite(bob, posts[0])
    ids = [p.id for p in posts]
    fast, orm = both(settings, lambda: statuses_json(load_statuses(ids), bob))
    assert fast == orm
    assert [len(s["agora_products"]) for s in fast] == [3, 2, 1] and fast[0]["favourited"] is True
