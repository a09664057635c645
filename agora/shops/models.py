from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from agora.core.fields import SnowflakeIdField


class Shop(models.Model):
    """A user's shop (one per account). Its followers are the owner's followers."""

    id = SnowflakeIdField()
    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop")
    name = models.CharField(max_length=60)
    description = models.TextField(blank=True, max_length=2000)
    logo = models.ForeignKey(
        "media.MediaAttachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    currency = models.CharField(max_length=3, default="CNY")
    # Flat shipping fee per order; waived when the order's subtotal reaches the threshold (if set).
    shipping_fee = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    free_shipping_threshold = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    return_policy = models.TextField(blank=True, max_length=4000)
    # Denormalised from reviews with F() updates: the average is total / count.
    rating_count = models.PositiveIntegerField(default=0)
    rating_total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(shipping_fee__gte=0), name="shops_shop_shipping_fee_gte_0"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rating(self) -> float | None:
        return round(self.rating_total / self.rating_count, 2) if self.rating_count else None

    def shipping_for(self, subtotal: Decimal) -> Decimal:
        if self.free_shipping_threshold is not None and subtotal >= self.free_shipping_threshold:
            return Decimal("0.00")
        return self.shipping_fee
