from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from agora.core.fields import SnowflakeIdField


class PaymentStatus(models.TextChoices):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Payment(models.Model):
    """One payment through a gateway, covering one or more orders of one buyer."""

    id = SnowflakeIdField()
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    orders = models.ManyToManyField("orders.Order", related_name="payments")
    gateway = models.CharField(max_length=20)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="CNY")
    status = models.CharField(max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # The Idempotency-Key the payment was started with: (payer, key) is unique, so a repeat finds it.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["payer", "idempotency_key"], name="payments_payment_key_unique"),
        ]

    def __str__(self) -> str:
        return f"payment {self.id} ({self.status})"


class PaymentEvent(models.Model):
    """Audit row: one per state transition of a payment (agora/payments/state.py), append-only."""

    id = SnowflakeIdField()
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    event = models.CharField(max_length=30)
    # Who moved it: the payer starting it; nobody (the gateway) for its outcome.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class PaymentNotification(models.Model):
    """Every verified notification from a gateway; the unique event id makes repeats no-ops."""

    id = SnowflakeIdField()
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="notifications")
    gateway = models.CharField(max_length=20)
    event_id = models.CharField(max_length=100)
    outcome = models.CharField(max_length=10)
    body = models.TextField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "event_id"], name="payments_notification_event_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.event_id}"


class Account(models.TextChoices):
    # Money outside Agora: what buyers paid in through a gateway, and what was refunded back out.
    GATEWAY = "gateway"
    # Held for buyers until their order completes (Alipay-style escrow).
    ESCROW = "escrow"
    # A shop's earnings.
    SHOP = "shop"


class LedgerEntry(models.Model):
    """Append-only double entry: each movement writes rows with the same `movement` id summing to zero.

    A balance is the sum of `amount` over an account (and shop); nothing stores balances.
    """

    id = SnowflakeIdField()
    movement = models.BigIntegerField(db_index=True)
    kind = models.CharField(max_length=20)  # capture / release / refund
    account = models.CharField(max_length=10, choices=Account.choices)
    shop = models.ForeignKey("shops.Shop", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="CNY")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["account", "shop", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(account="shop", shop__isnull=False) | ~Q(account="shop"),
                name="payments_ledger_shop_account_has_shop",
            ),
            # One release or refund per order: a retried transition cannot move the money twice.
            models.UniqueConstraint(
                fields=["order", "kind", "account"],
                condition=Q(order__isnull=False),
                name="payments_ledger_once_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.account} {self.amount}"
