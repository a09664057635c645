from __future__ import annotations

from collections.abc import Iterable

from agora.accounts.models import User
from agora.core.errors import NotFound


def get_active_user(user_id: int) -> User:
    user = User.objects.filter(id=user_id, is_active=True).first()
    if user is None:
        raise NotFound("Account not found.")
    return user


def users_by_id(ids: Iterable[int]) -> dict[int, User]:
    """The accounts of these ids, by id, in one query (missing ones are left out)."""
    wanted = set(ids)
    return {u.id: u for u in User.objects.filter(id__in=wanted)} if wanted else {}


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
