from __future__ import annotations

from agora.accounts.models import User
from agora.core.errors import NotFound


def get_active_user(user_id: int) -> User:
    user = User.objects.filter(id=user_id, is_active=True).first()
    if user is None:
        raise NotFound("Account not found.")
    return user


def get_user_by_handle(handle: str) -> User:
    user = User.objects.filter(username__iexact=handle.lstrip("@"), is_active=True).first()
    if user is None:
        raise NotFound("Account not found.")
    return user
