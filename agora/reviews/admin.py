from django.contrib import admin

from agora.reviews.models import Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("id", "product", "author", "rating", "created_at")
    list_filter = ("rating",)
    raw_id_fields = ("line", "product", "shop", "author")
