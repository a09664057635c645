from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "agora.social"
    label = "social"

    def ready(self) -> None:
        from agora.accounts import events
        from agora.social import tasks

        events.PROFILE_CHANGED.subscribe(tasks.profile_changed)
