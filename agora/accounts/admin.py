from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User

# Kept by the app, not typed by staff: shown read-only.
ACTIVITY_FIELDS = (
    "followers_count",
    "following_count",
    "statuses_count",
    "last_status_at",
    "last_active_at",
    "last_login",
    "date_joined",
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Staff find accounts here and set the verified badge; counters are read-only (the social app keeps them)."""

    list_display = (
        "username",
        "display_name",
        "email",
        "verified",
        "locked",
        "is_active",
        "is_staff",
        "followers_count",
        "date_joined",
    )
    list_filter = ("verified", "locked", "is_active", "is_staff", "is_superuser", "email_confirmed")
    list_editable = ("verified",)
    search_fields = ("username", "display_name", "email")
    ordering = ("-date_joined",)
    date_hierarchy = "date_joined"
    readonly_fields = ACTIVITY_FIELDS
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Profile"),
            {
                "fields": (
                    "display_name",
                    "email",
                    "email_confirmed",
                    "bio",
                    "location",
                    "website",
                    "avatar",
                    "header",
                    "locale",
                )
            },
        ),
        (_("Status"), {"fields": ("verified", "locked", "is_active")}),
        (
            _("Activity"),
            {"fields": ACTIVITY_FIELDS},
        ),
        (
            _("Permissions"),
            {"classes": ("collapse",), "fields": ("is_staff", "is_superuser", "groups", "user_permissions")},
        ),
    )
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["mark_verified", "unmark_verified"]

    @admin.action(description=_("Mark selected accounts as verified"))
    def mark_verified(self, request, queryset):
        self.message_user(request, _("%(n)d accounts verified.") % {"n": queryset.update(verified=True)})

    @admin.action(description=_("Remove the verified badge from selected accounts"))
    def unmark_verified(self, request, queryset):
        self.message_user(request, _("%(n)d accounts unverified.") % {"n": queryset.update(verified=False)})
