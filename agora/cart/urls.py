from django.urls import path

from agora.cart import views

urlpatterns = [
    path("market/cart", views.cart_page, name="cart"),
    path("market/cart/items/<int:item_id>", views.cart_item, name="cart-item"),
]
