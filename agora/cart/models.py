from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from agora.core.fields import SnowflakeIdField


class CartItem(models.Model):
    id = SnowflakeIdField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart_items")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    # The price when added, so the cart can show what changed since.
    price_seen = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    # The post it was added from (a status id the caller checked; see OrderLine.source_status_id),
    # carried to the order line at checkout.
    source_status_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "variant"], name="cart_item_user_variant_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_item_quantity_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x variant {self.variant_id}"
