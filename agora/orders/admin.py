from django.contrib import admin

from agora.orders.models import Address, Order, OrderEvent, OrderLine


class LineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = (
        "variant",
        "product",
        "title",
        "sku",
        "options",
        "unit_price",
        "quantity",
        "line_total",
    )


class EventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "event", "actor", "note", "created_at")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Read-only: operators inspect orders; state changes go through the state machine, not this form."""

    list_display = ("id", "buyer", "shop", "status", "total", "created_at")
    list_filter = ("status",)
    search_fields = ("id", "buyer__username", "shop__name", "tracking_number")
    inlines = [LineInline, EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("recipient", "user", "city", "is_default")
    raw_id_fields = ("user",)
