from django.urls import path

from agora.shops import views

urlpatterns = [
    path("shop/<int:shop_id>", views.shop_page, name="shop"),
    path("shop/<int:shop_id>/posts", views.shop_posts, name="shop-posts"),
    path("market/seller", views.seller_centre, name="seller"),
    path("market/seller/products/new", views.product_editor, name="seller-product-new"),
    path("market/seller/products/<int:product_id>", views.product_editor, name="seller-product"),
    path("market/seller/products/<int:product_id>/announce", views.announce_product, name="seller-announce"),
    path("market/seller/orders/<int:order_id>/<str:action>", views.seller_order_action, name="seller-order"),
]
