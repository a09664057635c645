from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "agora.boards"
    label = "boards"

    def ready(self) -> None:
        from agora.boards import tasks
        from agora.catalog import events

        events.PRICE_DROPPED.subscribe(tasks.price_dropped)
        events.BACK_IN_STOCK.subscribe(tasks.back_in_stock)
