import random

import pytest

from agora.catalog.models import Product
from agora.catalog.seed import seed as seed_catalog
from agora.orders.models import Order
from agora.payments.testing import assert_ledger_balances
from agora.reviews.models import Review
from agora.reviews.seed import seed as seed_orders


@pytest.mark.django_db
def test_market_seed_is_idempotent_and_covers_each_state(make_user, media_root):
    make_user("demo")
    for i in range(10):
        make_user(f"p{i}", email=f"p{i}@demo.agora")
    options = {"demo_username": "demo", "email_domain": "demo.agora"}
    for seed in (seed_catalog, seed_orders):  # in INSTALLED_APPS order, as `agora seed` runs them
        seed(rng=random.Random(1), progress=lambda it, **kw: it, options=options)
    counts = (Product.objects.count(), Order.objects.count())
    for seed in (seed_catalog, seed_orders):
        seed(rng=random.Random(1), progress=lambda it, **kw: it, options=options)
    assert (Product.objects.count(), Order.objects.count()) == counts and counts[0] == 8
    demo_states = set(Order.objects.filter(buyer__username="demo").values_list("status", flat=True))
    assert demo_states == {"completed", "shipped", "paid", "awaiting_payment"}
    assert Review.objects.exists()
    assert_ledger_balances()
