from __future__ import annotations

from datetime import timedelta

from django.conf import settings


def pay_window() -> timedelta:
    return timedelta(minutes=settings.AGORA.order_pay_minutes)


def auto_confirm_window() -> timedelta:
    return timedelta(days=settings.AGORA.order_auto_confirm_days)
