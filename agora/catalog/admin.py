from django.contrib import admin

from agora.catalog.models import Category, Product, Variant


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "slug", "parent", "position")
    list_editable = ("position",)
    list_filter = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "name_zh", "slug")


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    # Stock is changed by checkouts with conditional UPDATEs; operators read it here, sellers set it.
    readonly_fields = ("stock",)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("title", "shop", "category", "min_price", "sales_count", "is_listed", "created_at")
    list_filter = ("is_listed", "category")
    search_fields = ("title", "shop__name")
    raw_id_fields = ("shop",)
    inlines = [VariantInline]
