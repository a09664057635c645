from __future__ import annotations

from datetime import timedelta

from django.conf import settings


def pay_window() -> timedelta:
    return timedelta(minutes=getattr(settings.AGORA, "order_pay_minutes", 30))


def auto_confirm_window() -> timedelta:
    return timedelta(days=getattr(settings.AGORA, "order_auto_confirm_days", 10))
