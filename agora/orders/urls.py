from django.urls import path

from agora.orders import views

urlpatterns = [
    path("market/checkout", views.checkout_page, name="checkout"),
    path("market/buy/<int:product_id>", views.buy_sheet_view, name="buy-sheet"),
    path("market/orders", views.order_list, name="orders"),
    path("market/orders/<int:order_id>", views.order_detail, name="order"),
    path("market/orders/<int:order_id>/<str:action>", views.order_action, name="order-action"),
]
