from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from agora.core.fields import SnowflakeIdField


class Review(models.Model):
    id = SnowflakeIdField()
    line = models.OneToOneField("orders.OrderLine", on_delete=models.CASCADE, related_name="review")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="reviews")
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True, max_length=2000)
    image_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["product", "-id"])]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="reviews_rating_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}* on {self.product_id}"
