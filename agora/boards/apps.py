from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "agora.boards"
    label = "boards"
