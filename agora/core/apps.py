from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "agora.core"
    label = "core"

    def ready(self) -> None:
        from django.core.signals import request_started

        from agora.core.dbhealth import check_idle_connections

        # Connected after Django's close_old_connections (django.db), so it runs after it.
        request_started.connect(check_idle_connections, dispatch_uid="agora.core.dbhealth")
