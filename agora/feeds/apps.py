from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "agora.feeds"
    label = "feeds"

    def ready(self) -> None:
        from agora.feeds import tasks
        from agora.social import events

        events.STATUS_CREATED.subscribe(tasks.fan_out_status)
        events.STATUS_REBLOGGED.subscribe(tasks.fan_out_status)
        events.STATUS_DELETED.subscribe(tasks.remove_status)
        events.FOLLOWED.subscribe(tasks.merge_followee)
        events.ACCOUNT_HIDDEN.subscribe(tasks.remove_author)
