from django.apps import AppConfig


class ShopsConfig(AppConfig):
    name = "agora.shops"
    label = "shops"
