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


def handle_for_login(identifier: str) -> str:
    """The handle a log-in identifier names: the handle itself, or the owner of an email address.

    An unknown email is returned unchanged, so a failed log-in takes the same path either way.
    """
    identifier = identifier.strip().lstrip("@")
    if "@" in identifier:
        handle = (
            User.objects.filter(email__iexact=identifier, is_active=True)
            .order_by("id")
            .values_list("username", flat=True)
            .first()
        )
        return handle or identifier
    return identifier
