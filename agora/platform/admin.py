from django.contrib import admin

from agora.platform.models import AppProfile


@admin.register(AppProfile)
class AppProfileAdmin(admin.ModelAdmin):
    """Operators see which apps exist, who owns them and what they may ask for; secrets stay in DOT."""

    list_display = ("application", "owner", "scopes", "website", "created_at")
    list_select_related = ("application", "owner")
    search_fields = ("application__name", "application__client_id", "owner__username")
    raw_id_fields = ("application", "owner")
    readonly_fields = ("created_at",)
