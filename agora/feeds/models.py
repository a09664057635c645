from __future__ import annotations

from django.conf import settings
from django.db import models


class HomeEntry(models.Model):
    """One status in one reader's home timeline (the SQL timeline store, embedded profile)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.ForeignKey("social.Status", on_delete=models.CASCADE, related_name="+")
    # Who made the entry appear (author or reblogger): lets a block/mute/unfollow drop rows in one UPDATE.
    author_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "status"], name="feeds_home_unique")]
        indexes = [models.Index(fields=["owner", "-status"], name="feeds_home_read_idx")]

    def __str__(self) -> str:
        return f"homeentry {self.pk}"


class HomeBuilt(models.Model):
    """Marks a reader whose SQL home timeline exists; absent means rebuild from the database on read."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"homebuilt {self.pk}"
