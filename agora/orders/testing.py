"""Factories for tests that need an address to ship to; plain functions, no fixtures."""

from __future__ import annotations

from agora.accounts.models import User
from agora.orders.actions import do_create_address
from agora.orders.models import Address


def make_address(user: User) -> Address:
    return do_create_address(
        user,
        recipient="Li Lei",
        phone="13800000000",
        city="Hangzhou",
        street="1 West Lake Rd",
        province="Zhejiang",
    )
