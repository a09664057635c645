from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "agora.feeds"
    label = "feeds"
