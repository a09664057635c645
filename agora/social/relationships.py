"""Mastodon `Relationship` JSON for many accounts at once (six queries, whatever the count)."""

from __future__ import annotations

from typing import Any

from agora.social.models import Block, Follow, FollowRequest, Mute


def relationships_json(viewer, account_ids: list[int]) -> list[dict[str, Any]]:
    ids = list(dict.fromkeys(account_ids))
    following = {
        f: (r, n)
        for f, r, n in Follow.objects.filter(follower_id=viewer.id, followee_id__in=ids).values_list(
            "followee_id", "show_reblogs", "notify"
        )
    }
    followed_by = set(
        Follow.objects.filter(followee_id=viewer.id, follower_id__in=ids).values_list(
            "follower_id", flat=True
        )
    )
    blocking = set(
        Block.objects.filter(account_id=viewer.id, target_id__in=ids).values_list("target_id", flat=True)
    )
    blocked_by = set(
        Block.objects.filter(target_id=viewer.id, account_id__in=ids).values_list("account_id", flat=True)
    )
    muting = dict(
        Mute.objects.filter(account_id=viewer.id, target_id__in=ids).values_list(
            "target_id", "hide_notifications"
        )
    )
    requested = set(
        FollowRequest.objects.filter(follower_id=viewer.id, followee_id__in=ids).values_list(
            "followee_id", flat=True
        )
    )
    requested_by = set(
        FollowRequest.objects.filter(followee_id=viewer.id, follower_id__in=ids).values_list(
            "follower_id", flat=True
        )
    )
    return [
        {
            "id": str(i),
            "following": i in following,
            "showing_reblogs": following.get(i, (False, False))[0],
            "notifying": following.get(i, (False, False))[1],
            "languages": None,
            "followed_by": i in followed_by,
            "blocking": i in blocking,
            "blocked_by": i in blocked_by,
            "muting": i in muting,
            "muting_notifications": bool(muting.get(i)),
            "requested": i in requested,
            "requested_by": i in requested_by,
            "domain_blocking": False,
            "endorsed": False,
            "note": "",
        }
        for i in ids
    ]
