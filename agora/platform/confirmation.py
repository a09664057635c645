"""Signed email-confirmation links: no table, the link itself carries the user id and email. Following
one is platform.actions.do_confirm_email."""

from __future__ import annotations

from django.core import signing

from agora.accounts.models import User

SALT = "agora.platform.confirm-email"
MAX_AGE_SECONDS = 3 * 24 * 3600


def make_confirmation_token(user: User) -> str:
    # The email is signed too, so a link sent to an old address stops working after a change.
    return signing.dumps({"u": user.id, "e": user.email.lower()}, salt=SALT, compress=True)
