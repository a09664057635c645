from django.apps import AppConfig


class CartConfig(AppConfig):
    name = "agora.cart"
    label = "cart"
