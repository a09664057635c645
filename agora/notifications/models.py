from __future__ import annotations

from django.conf import settings
from django.db import models

from agora.core.fields import SnowflakeIdField


class NotificationType(models.TextChoices):
    MENTION = "mention"
    REBLOG = "reblog"
    FAVOURITE = "favourite"
    FOLLOW = "follow"
    FOLLOW_REQUEST = "follow_request"
    STATUS = "status"
    UPDATE = "update"
    QUOTE = "quote"


class Notification(models.Model):
    id = SnowflakeIdField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=20, choices=NotificationType.choices)
    status = models.ForeignKey(
        "social.Status", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    read = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notif_recipient_idx"),
            models.Index(fields=["recipient", "read"], name="notif_unread_idx"),
        ]
        constraints = [
            # Tasks may be retried: the same event makes one notification.
            models.UniqueConstraint(
                fields=["recipient", "actor", "type", "status"], name="notif_unique_event"
            ),
        ]

    def __str__(self) -> str:
        return f"notification {self.pk}"
