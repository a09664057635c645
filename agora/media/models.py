from __future__ import annotations

from django.conf import settings
from django.db import models

from agora.core.fields import SnowflakeIdField


class MediaAttachment(models.Model):
    """An uploaded image, owned by its uploader until attached to a post, product or review."""

    id = SnowflakeIdField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media")
    file = models.ImageField(upload_to="media/%Y/%m/")
    thumbnail = models.ImageField(upload_to="media/%Y/%m/")
    mime_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    thumb_width = models.PositiveIntegerField()
    thumb_height = models.PositiveIntegerField()
    description = models.TextField(blank=True, max_length=1500)
    focus_x = models.FloatField(default=0.0)
    focus_y = models.FloatField(default=0.0)
    # Set once the attachment is used, so it cannot be attached to someone else's object.
    attached = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-id"])]

    def __str__(self) -> str:
        return f"media {self.id}"
