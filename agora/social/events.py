"""What happens in the square, published after commit with ids (agora/core/events.py). The home
timelines (agora/feeds/tasks.py) and notifications (agora/notifications/tasks.py) subscribe."""

from agora.core.events import Event

# (status_id, mentioned account ids)
STATUS_CREATED = Event("status.created")
STATUS_EDITED = Event("status.edited")
# (status_id, author_id, [[reblog_id, reblogger_id], ...]): the rows are gone when it runs
STATUS_DELETED = Event("status.deleted")
# (reblog_id)
STATUS_REBLOGGED = Event("status.reblogged")
# (actor_id, status_id)
STATUS_FAVOURITED = Event("status.favourited")
# (follower_id, followee_id)
FOLLOW_REQUESTED = Event("follow.requested")
FOLLOWED = Event("follow.created")
# (owner_id, account_id): owner unfollowed, blocked or muted account
ACCOUNT_HIDDEN = Event("account.hidden")
