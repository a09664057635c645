"""do_notify_subscribers tells a batch of subscribers of a new post in a few queries, and tells
exactly those do_notify would have told one at a time (blocks either way with the author or the
quoted author, mutes that hide notifications, oneself, accounts gone)."""

import pytest

from agora.accounts.models import User
from agora.notifications.actions import do_notify, do_notify_subscribers
from agora.notifications.models import Notification
from agora.social import events
from agora.social.actions import do_create_status
from agora.social.models import Block, Mute


@pytest.fixture(autouse=True)
def quiet(monkeypatch):
    monkeypatch.setattr(events.STATUS_CREATED, "tasks", [])


def told(status) -> set[str]:
    return set(
        Notification.objects.filter(status=status, type="status").values_list(
            "recipient__username", flat=True
        )
    )


@pytest.mark.parametrize("visibility", ["public", "unlisted"])
def test_the_batch_tells_whom_one_at_a_time_would(active_user, visibility, django_assert_max_num_queries):
    author, quoted = active_user("author"), active_user("quoted")
    names = ["ok", "blocked", "blocker", "mutes", "mutes_shown", "blocks_quoted", "quoted_blocks", "gone"]
    users = {n: active_user(n) for n in names}
    Block.objects.create(account=author, target=users["blocked"])
    Block.objects.create(account=users["blocker"], target=author)
    Mute.objects.create(account=users["mutes"], target=author, hide_notifications=True)
    Mute.objects.create(account=users["mutes_shown"], target=author, hide_notifications=False)
    Block.objects.create(account=users["blocks_quoted"], target=quoted)
    Block.objects.create(account=quoted, target=users["quoted_blocks"])
    recipients = [u.id for u in users.values()] + [author.id]
    gone_id = users["gone"].id
    User.objects.filter(id=gone_id).delete()
    root = do_create_status(quoted, "the original")
    one_by_one = do_create_status(author, "first", quoted_status_id=root.id, visibility=visibility)
    batched = do_create_status(author, "second", quoted_status_id=root.id, visibility=visibility)
    for r in recipients:
        do_notify(r, author.id, "status", one_by_one.id)
    with django_assert_max_num_queries(7):  # five, and the INSERT's BEGIN and COMMIT
        do_notify_subscribers(batched, recipients)
    assert told(batched) == told(one_by_one) == {"ok", "mutes_shown"}
    do_notify_subscribers(batched, recipients)  # again: nothing new
    assert Notification.objects.filter(status=batched).count() == 2
