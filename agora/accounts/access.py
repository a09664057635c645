"""Reads of accounts that check who asks. Accounts are public (selectors.py reads them, a deactivated
one as missing); what only its owner may read or change is read here."""

from __future__ import annotations

from agora.accounts.models import User
from agora.core.errors import NotFound


def access_own_account(user: User, *, lock: bool = False) -> User:
    """The signed-in user's own account read afresh, for an edit: a failed edit must not leave
    half-applied values on request.user."""
    qs = User.objects.filter(pk=user.pk, is_active=True)
    if lock:
        qs = qs.select_for_update()
    account = qs.first() if user.is_authenticated else None
    if account is None:
        raise NotFound("Account not found.")
    return account
