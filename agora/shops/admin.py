from django.contrib import admin

from agora.shops.models import Shop


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "shipping_fee", "free_shipping_threshold", "rating_count", "created_at")
    search_fields = ("name", "owner__username")
    raw_id_fields = ("owner", "logo")
