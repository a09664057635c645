from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.catalog.models import options_label
from agora.core.fields import SnowflakeIdField


class Address(models.Model):
    id = SnowflakeIdField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses")
    recipient = models.CharField(max_length=60)
    phone = models.CharField(max_length=30)
    country = models.CharField(max_length=60, default="CN")
    province = models.CharField(max_length=60, blank=True)
    city = models.CharField(max_length=60)
    district = models.CharField(max_length=60, blank=True)
    street = models.CharField(max_length=200)
    postal_code = models.CharField(max_length=20, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_default=True), name="orders_address_one_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}, {self.street}, {self.city}"

    def snapshot(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in ADDRESS_FIELDS}


ADDRESS_FIELDS = ("recipient", "phone", "country", "province", "city", "district", "street", "postal_code")


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid")
    SHIPPED = "shipped", _("Shipped")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUND_REQUESTED = "refund_requested", _("Refund requested")
    REFUNDED = "refunded", _("Refunded")
    REFUND_REFUSED = "refund_refused", _("Refund refused")


class Checkout(models.Model):
    """One checkout request; (buyer, idempotency key) is unique so a repeated request finds it."""

    id = SnowflakeIdField()
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["buyer", "idempotency_key"], name="orders_checkout_key_unique"),
        ]

    def __str__(self) -> str:
        return f"checkout {self.id}"


class Order(models.Model):
    id = SnowflakeIdField()
    # Set when the checkout carried an Idempotency-Key (the row that makes a repeat find these orders).
    # Indexes: every one is written on each checkout (a flash sale's hot path), so the single-column
    # ones Django adds to foreign keys are left out where a composite index below starts with the
    # column, and the sweeps' indexes hold only the rows each sweep looks for.
    checkout = models.ForeignKey(
        Checkout, null=True, blank=True, on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    shop = models.ForeignKey("shops.Shop", on_delete=models.PROTECT, related_name="orders", db_index=False)
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.AWAITING_PAYMENT
    )
    address = models.JSONField()
    currency = models.CharField(max_length=3, default="CNY")
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    shipping = models.DecimalField(max_digits=10, decimal_places=2)
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    # A default, not auto_now_add: a checkout's key, orders and audit rows carry one time, given.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    pay_by = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    carrier = models.CharField(max_length=60, blank=True)
    tracking_number = models.CharField(max_length=60, blank=True)
    auto_confirm_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    refund_reason = models.TextField(blank=True, max_length=1000)
    refund_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["buyer", "-id"]),
            models.Index(fields=["shop", "-id"]),
            models.Index(
                fields=["checkout"], condition=Q(checkout__isnull=False), name="orders_order_checkout_idx"
            ),
            models.Index(
                fields=["pay_by"], condition=Q(status="awaiting_payment"), name="orders_order_unpaid_idx"
            ),
            models.Index(
                fields=["auto_confirm_at"],
                condition=Q(status__in=["shipped", "refund_refused"]),
                name="orders_order_confirm_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="orders_order_total_gte_0"),
        ]

    def __str__(self) -> str:
        return f"order {self.id}"


class OrderLine(models.Model):
    """What was bought, snapshotted: later edits or delisting do not change a past order."""

    id = SnowflakeIdField()
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", null=True, on_delete=models.SET_NULL, related_name="+")
    product = models.ForeignKey("catalog.Product", null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=120)
    sku = models.CharField(max_length=64)
    options = models.JSONField(default=dict)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    quantity = models.PositiveIntegerField()
    line_total = models.DecimalField(max_digits=12, decimal_places=2)
    # The post the buyer bought this from (a status id, for analytics and commissions later): a
    # plain id, the market knows nothing of posts. Checked by the caller (the API and pages above
    # ask social whether the buyer may see it; an unknown or hidden one is stored as None).
    source_status_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["source_status_id"],
                condition=Q(source_status_id__isnull=False),
                name="orders_line_source_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"

    @property
    def label(self) -> str:
        """The variant bought, as it was then (Variant.label of the snapshot)."""
        return options_label(self.options, self.sku)


class OrderEvent(models.Model):
    """Audit row: one per state transition, append-only."""

    id = SnowflakeIdField()
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    event = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"
