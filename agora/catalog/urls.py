from django.urls import path

from agora.catalog import views

urlpatterns = [
    path("market", views.market_home, name="market"),
    path("market/products/<int:product_id>", views.product_page, name="product"),
    path("market/products/<int:product_id>/buy", views.buy_or_add, name="product-buy"),
]
