from django.urls import path

from agora.payments import views

urlpatterns = [
    path("pay/sandbox/<int:payment_id>", views.sandbox_pay_page, name="sandbox-pay"),
]
