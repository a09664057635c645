"""A wished product's news, told to its wishers: subscribed to the catalog's events (apps.py), run after
commit, taking ids, safe to run twice (one notification per wisher and change)."""

from __future__ import annotations

from celery import shared_task

from agora.boards.selectors import wishers_of
from agora.catalog.selectors import listed_products
from agora.notifications.actions import do_notify_wishers
from agora.notifications.models import NotificationType


def _tell(kind: str, product_id: int, change_id: int) -> None:
    seller = listed_products().filter(id=product_id).values_list("shop__owner_id", flat=True).first()
    if seller is None:
        return  # delisted or gone since
    do_notify_wishers(kind, product_id, [(wisher, seller, change_id) for wisher in wishers_of(product_id)])


@shared_task(name="boards.price_dropped")
def price_dropped(product_id: int, change_id: int) -> None:
    _tell(NotificationType.PRICE_DROP, product_id, change_id)


@shared_task(name="boards.back_in_stock")
def back_in_stock(product_id: int, change_id: int) -> None:
    _tell(NotificationType.BACK_IN_STOCK, product_id, change_id)
