"""Response shapes of the notification endpoints: Mastodon's Notification, as
agora/notifications/selectors.py writes it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from agora.accounts.schemas import AccountOut
from agora.core.schema import IdStr, Out
from agora.social.schemas import StatusOut


class NotificationOut(Out):
    id: IdStr
    type: Literal["mention", "reblog", "favourite", "follow", "follow_request", "status", "update", "quote"]
    created_at: datetime
    group_key: str
    account: AccountOut = Field(description="Who caused the notification")
    status: StatusOut | None = Field(description="The post it is about, for the types that have one")


class UnreadCountOut(Out):
    count: int = Field(ge=0)
