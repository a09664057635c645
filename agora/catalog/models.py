from __future__ import annotations

from django.db import models
from django.db.models import Q

from agora.core.fields import SnowflakeIdField


class Category(models.Model):
    """A node of the category tree: seeded by a migration, edited by operators in admin."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=60)
    name_zh = models.CharField(max_length=60, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    id = SnowflakeIdField()
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="products")
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=10000)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    # Media ids in display order (the uploads are marked attached when claimed).
    image_ids = models.JSONField(default=list, blank=True)
    currency = models.CharField(max_length=3, default="CNY")
    # Delisted products are hidden and cannot be bought; orders keep their snapshot.
    is_listed = models.BooleanField(default=True)
    # Denormalised for listing and sorting: lowest active variant price, units sold, review sums.
    min_price = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    sales_count = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    rating_total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["shop", "-id"]),
            models.Index(fields=["is_listed", "-id"]),
            models.Index(fields=["category", "-id"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def rating(self) -> float | None:
        return round(self.rating_total / self.rating_count, 2) if self.rating_count else None


class Variant(models.Model):
    """One buyable SKU of a product, e.g. red / M. Stock changes only by conditional UPDATEs."""

    id = SnowflakeIdField()
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(max_length=64)
    options = models.JSONField(default=dict, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    stock = models.IntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="catalog_variant_stock_gte_0"),
            models.CheckConstraint(condition=Q(price__gte=0), name="catalog_variant_price_gte_0"),
            models.UniqueConstraint(fields=["product", "sku"], name="catalog_variant_sku_unique"),
        ]

    def __str__(self) -> str:
        return self.sku

    @property
    def label(self) -> str:
        return options_label(self.options, self.sku)


class StockAdjustment(models.Model):
    """A seller's change of stock by a difference (stock_delta, or a count typed over the one shown),
    recorded in the change's transaction: the audit of who moved how many units, and what a repeat
    with the same Idempotency-Key finds, so that it moves nothing twice (catalog/actions.py)."""

    id = SnowflakeIdField()
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    deltas = models.JSONField()  # {variant id: units added (negative: taken)}
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)  # of the change asked for
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="catalog_stock_adjustment_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"stock of product {self.product_id} by {self.actor_id}: {self.deltas}"


def options_label(options: dict[str, str], sku: str) -> str:
    """A variant as buyers see it ("颜色: 红 / size: M"), or its SKU when it has no options."""
    return " / ".join(f"{k}: {v}" for k, v in options.items()) or sku
