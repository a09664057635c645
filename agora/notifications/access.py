"""Reads of notifications that check who asks: someone else's reads as missing."""

from __future__ import annotations

from agora.core.errors import NotFound
from agora.notifications.models import Notification


def access_notification(user, notification_id: int) -> Notification:
    n = Notification.objects.filter(recipient=user, id=notification_id).first()
    if n is None:
        raise NotFound("Record not found.")
    return n
