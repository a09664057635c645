"""social.profile_changed and social.forget_product_posts run twice: the cached post JSON they aim at is
forgotten, and nothing else is (a worker that dies mid-task has its task run again:
docs/architecture.md)."""

from agora.core import hotcache
from agora.social.actions import do_create_status, do_reblog
from agora.social.serializers import _sj_key
from agora.social.tasks import forget_product_posts, profile_changed


def test_profile_changed_twice_forgets_the_authors_cached_posts(active_user):
    # given cached JSON for alice's post, carol's repost of it and bob's own post
    alice, bob, carol = active_user("alice"), active_user("bob"), active_user("carol")
    post, others = do_create_status(alice, "mine"), do_create_status(bob, "not alice's")
    repost = do_reblog(carol, post)
    keys = {s.id: _sj_key(s.id) for s in (post, repost, others)}
    hotcache.set_strings({k: "{}" for k in keys.values()}, 600)
    # when alice's profile change is handled twice
    profile_changed.delay(alice.id)
    profile_changed.delay(alice.id)
    # then her post and the repost are forgotten, bob's post is still cached
    assert set(hotcache.get_strings(list(keys.values()))) == {keys[others.id]}


def test_forget_product_posts_twice_forgets_the_posts_carrying_it(active_user):
    # given cached JSON for a post carrying a product, a quote of it and a post without it
    from agora.catalog.testing import make_product
    from agora.shops.testing import make_shop

    alice, bob = active_user("alice"), active_user("bob")
    product = make_product(make_shop(active_user("seller")))
    carrying = do_create_status(alice, "buy", product_ids=[product.id])
    quote = do_create_status(bob, "yes", quoted_status_id=carrying.id)
    other = do_create_status(bob, "plain")
    keys = {s.id: _sj_key(s.id) for s in (carrying, quote, other)}
    hotcache.set_strings({k: "{}" for k in keys.values()}, 600)
    # when the product's change is handled twice
    forget_product_posts.delay(product.id)
    forget_product_posts.delay(product.id)
    # then the carrying post and its quote are forgotten, the other is still cached
    assert set(hotcache.get_strings(list(keys.values()))) == {keys[other.id]}
