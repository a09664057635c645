"""Side effects of social writes that stay in the square's own data, run after commit. Each takes
ids and is safe to run twice. The timelines and notifications subscribe to agora/social/events.py."""

from __future__ import annotations

from celery import shared_task
from django.db.models import Q

from agora.social.models import Status, StatusProduct
from agora.social.serializers import forget_statuses

# Cached status JSON embeds the author's account (name, avatar, note): after a profile edit, the
# author's recent posts and the reposts and quotes of them are re-rendered on their next read
# instead of waiting out the cache's TTL. Older ones are rarely read and expire on their own.
PROFILE_FORGET_LIMIT = 800


@shared_task(name="social.profile_changed")
def profile_changed(user_id: int) -> None:
    # Two indexed reads (author, then reblog_of / quote_of), not one OR across joins, which
    # PostgreSQL answers by scanning every status.
    own = list(
        Status.objects.filter(author_id=user_id)
        .order_by("-id")
        .values_list("id", flat=True)[:PROFILE_FORGET_LIMIT]
    )
    echoes = (
        Status.objects.filter(Q(reblog_of_id__in=own) | Q(quote_of_id__in=own))
        .order_by("-id")
        .values_list("id", flat=True)[:PROFILE_FORGET_LIMIT]
    )
    forget_statuses(*own, *echoes)


# A product changed by its seller (price, title, stock by hand, delisted): the cached JSON of the posts
# carrying it is dropped so their cards show the change on the next read. Entries that carry products
# live AGORA_PRODUCT_CARD_TTL anyway, so older posts beyond this many catch up within that.
PRODUCT_FORGET_LIMIT = 2000


@shared_task(name="social.forget_product_posts")
def forget_product_posts(product_id: int) -> None:
    carriers = list(
        StatusProduct.objects.filter(product_id=product_id)
        .order_by("-status_id")
        .values_list("status_id", flat=True)[:PRODUCT_FORGET_LIMIT]
    )
    quotes = Status.objects.filter(quote_of_id__in=carriers).order_by("-id").values_list("id", flat=True)
    forget_statuses(*carriers, *quotes[:PRODUCT_FORGET_LIMIT])
