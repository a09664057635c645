from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "agora.social"
    label = "social"

    def ready(self) -> None:
        from agora.accounts import events
        from agora.catalog import events as catalog_events
        from agora.social import tasks

        events.PROFILE_CHANGED.subscribe(tasks.profile_changed)
        catalog_events.PRODUCT_CHANGED.subscribe(tasks.forget_product_posts)
