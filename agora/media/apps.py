from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "agora.media"
    label = "media"
