"""The home read's fast path (the Lua read on Redis, the token checked with the reader's flags:
agora/feeds/fastpath.py, agora/api/fastpath.py) and the general path it stands in for answer the
same bytes, page by page, on both timeline stores."""

from dataclasses import replace

import pytest

from agora.catalog.actions import do_delist_product
from agora.catalog.testing import make_product
from agora.shops.testing import make_shop
from agora.social.actions import (
    do_block,
    do_bookmark,
    do_create_status,
    do_favourite,
    do_follow,
    do_mute,
    do_reblog,
)

HOME = "/api/v1/timelines/home"


@pytest.fixture(params=["sql", "redis"])
def store_kind(request, settings):
    if request.param == "redis":
        request.getfixturevalue("timeline_redis")
    else:
        settings.AGORA_TIMELINE_REDIS_URL = ""
    return request.param


def test_fast_and_general_home_reads_answer_the_same_bytes(store_kind, active_user, api_client, settings):
    # given bob following alice (who posts, quotes and is reposted), carol (reposting), a celebrity
    # merged at read, a muted and a blocking account; bob liked, bookmarked and reposted
    settings.AGORA = replace(settings.AGORA, fanout_threshold=1)
    alice, bob, carol, star, muted, blocker = (
        active_user(n) for n in ("alice", "bob", "carol", "star", "muted", "blocker")
    )
    do_follow(active_user("fan"), star)
    for followee in (alice, carol, star, muted, blocker):
        do_follow(bob, followee)
    client = api_client(bob)
    assert client.get(HOME).status_code == 200  # bob's timeline stored, his lists cached
    posts = [do_create_status(alice, f"alice {i}") for i in range(4)]
    posts.append(do_create_status(alice, "quoting", quoted_status_id=posts[1].id))
    # shoppable posts: products from two shops (one sold out, one delisted later), a quote of one
    # and a repost of another
    shops = [make_shop(active_user(f"seller{i}"), name=f"Shop {i}") for i in range(2)]
    goods = [make_product(shops[i % 2], title=f"Good {i}", stock=i % 3) for i in range(4)]
    carrying = do_create_status(alice, "haul", product_ids=[g.id for g in goods])
    do_create_status(alice, "quoting a haul", quoted_status_id=carrying.id)
    do_reblog(carol, do_create_status(alice, "single", product_ids=[goods[1].id]))
    do_delist_product(goods[3].shop.owner, goods[3])
    do_reblog(carol, posts[0])
    do_create_status(star, "from the star")
    do_create_status(muted, "hush-hush")
    do_create_status(blocker, "keep-out")
    do_mute(bob, muted)
    do_block(blocker, bob)
    do_favourite(bob, posts[2])
    do_bookmark(bob, posts[3])
    do_reblog(bob, posts[1])
    first = client.get(HOME).json()
    pages = [
        {},
        {},
        {"limit": 2},
        {"max_id": first[2]["id"]},
        {"since_id": first[-2]["id"]},
        {"min_id": first[-1]["id"]},
    ]

    def read_all() -> list[bytes]:
        out = []
        for params in pages:
            res = client.get(HOME, params)
            assert res.status_code == 200
            out.append(res.content + res.get("Link", "").encode())
        return out

    # when the same pages are read with the fast paths and with the general path
    fast = read_all()
    settings.AGORA = replace(settings.AGORA, fast_paths=False)
    general = read_all()
    # then they are the same bytes, flags and Link headers included
    assert fast == general
    assert b'"favourited":true' in fast[0] and b'"bookmarked":true' in fast[0]
    assert b"hush-hush" not in fast[0] and b"keep-out" not in fast[0]
    assert b'"agora_products":[{' in fast[0] and b'"available":false' in fast[0]
    assert b'"in_stock":false' in fast[0] and b'"type":"link"' in fast[0]
