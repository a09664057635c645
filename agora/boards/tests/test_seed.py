import random

import pytest

from agora.boards.models import Board, Pin
from agora.boards.seed import seed as seed_boards
from agora.catalog.seed import seed as seed_catalog
from agora.social.models import Status


@pytest.mark.django_db
def test_boards_seed_is_idempotent_and_gives_the_demo_user_a_wishlist_and_a_board(make_user, media_root):
    make_user("demo")
    for i in range(10):
        make_user(f"p{i}", email=f"p{i}@demo.agora")
    options = {"demo_username": "demo", "email_domain": "demo.agora"}
    for seed in (seed_catalog, seed_boards):
        seed(rng=random.Random(1), progress=lambda it, **kw: it, options=options)
    counts = (Board.objects.count(), Pin.objects.count(), Status.objects.filter(has_products=True).count())
    seed_boards(rng=random.Random(1), progress=lambda it, **kw: it, options=options)
    assert (
        Board.objects.count(),
        Pin.objects.count(),
        Status.objects.filter(has_products=True).count(),
    ) == counts
    # shoppable posts: each of the 4 shops' announcement, two shares by link each, the demo's haul
    assert counts[2] == 4 + 4 * 2 + 1
    demo_boards = Board.objects.filter(owner__username="demo")
    assert {b.is_wishlist for b in demo_boards} == {True, False}
    assert all(b.pins_count > 0 for b in demo_boards)
