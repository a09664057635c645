"""Side effects of social writes that stay in the square's own data, run after commit. Each takes
ids and is safe to run twice. The timelines and notifications subscribe to agora/social/events.py."""

from __future__ import annotations

from celery import shared_task
from django.db.models import Q

from agora.social.models import Status
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
