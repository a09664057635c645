"""What happens to accounts, published after commit with ids (agora/core/events.py)."""

from agora.core.events import Event

# (user_id): a field shown on their posts changed (name, avatar, note ...)
PROFILE_CHANGED = Event("account.profile_changed")
