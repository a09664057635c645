from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "agora.platform"
    label = "platform"

    def ready(self) -> None:
        from django.conf import settings

        from agora.platform.scopes import all_scopes

        settings.OAUTH2_PROVIDER["SCOPES"] = all_scopes()
