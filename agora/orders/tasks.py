from celery import shared_task

from agora.orders import sweep


@shared_task(name="orders.expire_overdue_orders")
def expire_overdue_orders() -> int:
    return sweep.expire_overdue_orders()


@shared_task(name="orders.auto_confirm_orders")
def auto_confirm_orders() -> int:
    return sweep.auto_confirm_orders()
