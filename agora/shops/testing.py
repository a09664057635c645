"""Factories for tests that need a shop; plain functions, no fixtures."""

from __future__ import annotations

from typing import Any

from agora.accounts.models import User
from agora.shops.actions import do_create_shop
from agora.shops.models import Shop


def make_shop(owner: User, **fields: Any) -> Shop:
    fields.setdefault("name", f"{owner.username}'s shop")
    return do_create_shop(owner, **fields)
