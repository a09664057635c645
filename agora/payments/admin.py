from django.contrib import admin

from agora.payments.models import LedgerEntry, Payment, PaymentEvent, PaymentNotification


class EventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "event", "actor", "note", "created_at")


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Read-only: a payment moves only through its state machine (agora/payments/state.py)."""

    list_display = ("id", "payer", "gateway", "amount", "status", "created_at")
    list_filter = ("status", "gateway")
    raw_id_fields = ("payer",)
    filter_horizontal = ()
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PaymentNotification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("event_id", "payment", "outcome", "received_at")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerAdmin(admin.ModelAdmin):
    """Append-only: no add, change or delete here."""

    list_display = ("id", "movement", "kind", "account", "shop", "order", "amount", "created_at")
    list_filter = ("kind", "account")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
