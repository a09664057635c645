"""Boards (love.taobao / Pinterest): a user's named collections of products, posts and post pictures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from agora.core.fields import SnowflakeIdField

NOTE_MAX = 500


class Board(models.Model):
    id = SnowflakeIdField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="boards")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, max_length=1000)
    # A private board exists only for its owner: anyone else gets 404, even by id.
    is_private = models.BooleanField(default=False)
    # Everyone has one Wishlist board, private, made on first use (selectors.wishlist_of).
    is_wishlist = models.BooleanField(default=False)
    # The pin whose picture is the cover; without one, the board's first pin's picture.
    cover_pin = models.ForeignKey("Pin", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    pins_count = models.PositiveIntegerField(default=0)
    followers_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-id"], name="boards_board_owner_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_wishlist=True), name="boards_one_wishlist_per_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Pin(models.Model):
    """A product, a post, or one picture of a post (then `status` is the post it belongs to)."""

    id = SnowflakeIdField()
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="pins")
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.ForeignKey(
        "social.Status", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    media = models.ForeignKey(
        "media.MediaAttachment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(max_length=NOTE_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["board", "-id"], name="boards_pin_board_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(product__isnull=False) & Q(status__isnull=True) & Q(media__isnull=True))
                | (Q(product__isnull=True) & Q(status__isnull=False)),
                name="boards_pin_one_target",
            ),
            models.UniqueConstraint(
                fields=["board", "product"],
                condition=Q(product__isnull=False),
                name="boards_pin_product_once",
            ),
            models.UniqueConstraint(
                fields=["board", "status"],
                condition=Q(status__isnull=False, media__isnull=True),
                name="boards_pin_status_once",
            ),
            models.UniqueConstraint(
                fields=["board", "media"], condition=Q(media__isnull=False), name="boards_pin_media_once"
            ),
        ]

    def __str__(self) -> str:
        return f"pin {self.id}"

    @property
    def kind(self) -> str:
        if self.product_id:
            return "product"
        return "media" if self.media_id else "status"


class BoardFollow(models.Model):
    id = SnowflakeIdField()
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "user"], name="boards_follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows board {self.board_id}"
