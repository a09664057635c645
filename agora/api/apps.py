from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "agora.api"
    label = "api"
