"""Agora through real Mastodon clients (issue 14 point 6): Mastodon.py and masto.js, which know nothing of
Agora, read the timelines, a status carrying products and its preview card against a live server.

Mastodon.py is a dev dependency. masto.js is installed by `make install-clients` (npm ci in
agora/api/tests/clients); without Node.js or that install its test is skipped, except under CI=true.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from agora.catalog.actions import do_delist_product
from agora.catalog.testing import make_product
from agora.media.actions import do_upload_media
from agora.shops.testing import make_shop
from agora.social.actions import do_create_status, do_follow, do_reblog
from agora.social.testing import png_bytes

CLIENTS = Path(__file__).parent / "clients"


@pytest.fixture
def shoppable(live_server, transactional_db, make_user, make_token, settings, tmp_path):
    """bob follows alice; alice posts plain posts, a post carrying two products (one delisted later),
    a reply to it, and carol reposts it."""
    from django.utils import timezone

    settings.MEDIA_ROOT = str(tmp_path)
    settings.AGORA = replace(settings.AGORA, site_url=live_server.url)
    alice, bob, carol = (make_user(n, last_active_at=timezone.now()) for n in ("alice", "bob", "carol"))
    seller = make_user("seller")
    shop = make_shop(seller, name="Tea House")
    image = do_upload_media(seller, png_bytes((200, 200)))
    tea = make_product(shop, title="Longjing", price="129.00", media_ids=[image.id])
    gone = make_product(shop, title="Old stock", price="9.90")
    do_follow(bob, alice)
    do_create_status(alice, "plain #tea")
    post = do_create_status(alice, "my haul #tea", product_ids=[tea.id, gone.id])
    do_create_status(alice, "and a link " + live_server.url + f"/market/products/{tea.id}")
    do_create_status(bob, "@alice nice", in_reply_to_id=post.id)
    do_reblog(carol, post)
    do_follow(bob, carol)
    do_delist_product(seller, gone)
    return {"url": live_server.url, "token": make_token(bob), "post": post, "tea": tea, "gone": gone}


def test_mastodon_py_parses_timelines_products_and_cards(shoppable):
    mastodon = pytest.importorskip("mastodon")
    api = mastodon.Mastodon(
        api_base_url=shoppable["url"], access_token=shoppable["token"], version_check_mode="none"
    )
    post, tea = shoppable["post"], shoppable["tea"]
    # the home timeline: the post, carol's repost of it, the linked product's card
    home = api.timeline_home(limit=40)
    assert len(home) >= 4
    by_id = {str(s.id): s for s in home}
    got = by_id[str(post.id)]
    assert got.card.type == "link" and got.card.title == "Longjing"
    assert got.card.description == "¥129.00 · Tea House"
    assert got.card.url == f"{shoppable['url']}/market/products/{tea.id}"
    assert got.card.image.startswith(shoppable["url"]) and got.card.width == 200
    assert [p.id for p in got.agora_products] == [str(tea.id), str(shoppable["gone"].id)]
    assert got.agora_products[1].available is False and got.agora_products[0].price == "129.00"
    reposts = [s for s in home if s.reblog is not None]
    assert reposts and reposts[0].reblog.card.title == "Longjing" and reposts[0].card is None
    linked = [s for s in home if "and a link" in s.content]
    assert linked[0].card.title == "Longjing"
    # the public and topic timelines, the status, its context, and paging by the Link header
    assert any(s.card is not None for s in api.timeline_public(limit=40))
    assert str(post.id) in {str(s.id) for s in api.timeline_hashtag("tea")}
    one = api.status(post.id)
    assert one.card.provider_name and one.created_at.year >= 2026
    assert len(api.status_context(post.id).descendants) == 1
    page = api.timeline_home(limit=2)
    more = api.fetch_next(page)
    assert more and not {s.id for s in more} & {s.id for s in page}


def test_masto_js_parses_timelines_products_and_cards(shoppable):
    node = shutil.which("node")
    if node is None or not (CLIENTS / "node_modules" / "masto").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("masto.js is not installed: run `make install-clients`")
        pytest.skip("masto.js is not installed (make install-clients)")
    post, tea = shoppable["post"], shoppable["tea"]
    run = subprocess.run(
        [node, "masto_read.mjs", shoppable["url"], shoppable["token"], str(post.id), "tea"],
        cwd=CLIENTS,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    home = {s["id"]: s for s in got["home"]}
    card = home[str(post.id)]["card"]
    # masto.js camel-cases every key it parsed: Agora's extension comes through as agoraProducts
    assert card["type"] == "link" and card["title"] == "Longjing"
    assert card["description"] == "¥129.00 · Tea House" and card["authorName"] == "Tea House"
    assert card["url"].endswith(f"/market/products/{tea.id}")
    products = home[str(post.id)]["agoraProducts"]
    assert [p["id"] for p in products] == [str(tea.id), str(shoppable["gone"].id)]
    assert products[0]["soldCount"] == 0 and products[1]["available"] is False
    assert any(s["reblog"] and s["reblog"]["card"]["title"] == "Longjing" for s in got["home"])
    assert any(s["card"] for s in got["public"]) and str(post.id) in {s["id"] for s in got["tag"]}
    assert got["status"]["card"]["title"] == "Longjing" and got["context"] == 1
    # five entries, two a page: the Link header's pages cover them all, each once, newest first
    assert [i for p in got["pages"] for i in p] == [s["id"] for s in got["home"]]
    assert [len(p) for p in got["pages"]] == [2, 2, 1]
