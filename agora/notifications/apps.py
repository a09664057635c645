from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "agora.notifications"
    label = "notifications"

    def ready(self) -> None:
        from agora.notifications import tasks
        from agora.orders.events import MARKET_NOTICE
        from agora.social import events

        events.STATUS_CREATED.subscribe(tasks.status_created)
        events.STATUS_EDITED.subscribe(tasks.status_edited)
        events.STATUS_REBLOGGED.subscribe(tasks.status_reblogged)
        events.STATUS_FAVOURITED.subscribe(tasks.status_favourited)
        events.FOLLOW_REQUESTED.subscribe(tasks.follow_requested)
        events.FOLLOWED.subscribe(tasks.followed)
        MARKET_NOTICE.subscribe(tasks.notify_market)
