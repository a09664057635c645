import random

from agora.core.management.demo_users import DEMO_USERNAME, EMAIL_DOMAIN
from agora.social.models import Follow, Status
from agora.social.seed import seed


def test_seed_is_idempotent(active_user):
    active_user(DEMO_USERNAME, email=f"demo@{EMAIL_DOMAIN}")
    for i in range(8):
        active_user(f"p{i}", email=f"p{i}@{EMAIL_DOMAIN}")
    options = {"demo_username": DEMO_USERNAME, "email_domain": EMAIL_DOMAIN}
    seed(rng=random.Random(1), progress=lambda it, **kw: it, options=options)
    posts, follows = Status.objects.count(), Follow.objects.count()
    assert posts > 10 and follows > 8
    seed(rng=random.Random(1), progress=lambda it, **kw: it, options=options)
    assert (Status.objects.count(), Follow.objects.count()) == (posts, follows)
