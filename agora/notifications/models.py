from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from agora.core.fields import SnowflakeIdField
from agora.orders import events as market


class NotificationType(models.TextChoices):
    MENTION = "mention"
    REBLOG = "reblog"
    FAVOURITE = "favourite"
    FOLLOW = "follow"
    FOLLOW_REQUEST = "follow_request"
    STATUS = "status"
    UPDATE = "update"
    QUOTE = "quote"
    # The market's, Agora's own: namespaced, and listed by the API only to a client that asks for them
    # by name in types[] (docs/api.md, "Notifications": Mastodon clients are not shown types they
    # cannot know). Each links to an order.
    # Named where the market publishes them (agora/orders/events.py).
    ORDER_PLACED = market.ORDER_PLACED
    ORDER_PAID = market.ORDER_PAID
    ORDER_SHIPPED = market.ORDER_SHIPPED
    REFUND_REQUESTED = market.REFUND_REQUESTED
    REFUND_APPROVED = market.REFUND_APPROVED
    REFUND_REFUSED = market.REFUND_REFUSED
    REVIEW_POSTED = market.REVIEW_POSTED
    PRICE_DROP = "agora.price_drop"  # to who has the product on their Wishlist
    BACK_IN_STOCK = "agora.back_in_stock"  # to who has the product on their Wishlist


MARKET_TYPES = frozenset(t.value for t in NotificationType if t.value.startswith("agora."))


class Notification(models.Model):
    id = SnowflakeIdField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=32, choices=NotificationType.choices)
    status = models.ForeignKey(
        "social.Status", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Market notifications: the order it is about, and the market row that caused it (the order when
    # placed, its audit event for a later step, the review). Plain ids: notifications know nothing of
    # the market. One notification per recipient and cause, so a task run twice adds nothing.
    order_id = models.BigIntegerField(null=True, blank=True)
    # A wished product's news (price drop, back in stock): the product, a plain id as well.
    product_id = models.BigIntegerField(null=True, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)
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
            models.UniqueConstraint(
                fields=["recipient", "source_id"],
                condition=Q(source_id__isnull=False),
                name="notif_unique_source",
            ),
        ]

    def __str__(self) -> str:
        return f"notification {self.pk}"
