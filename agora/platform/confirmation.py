"""Signed email-confirmation links: no table, the link itself carries the user id and email."""

from __future__ import annotations

from django.core import signing

from agora.accounts.models import User
from agora.core.errors import Invalid

SALT = "agora.platform.confirm-email"
MAX_AGE_SECONDS = 3 * 24 * 3600


def make_confirmation_token(user: User) -> str:
    # The email is signed too, so a link sent to an old address stops working after a change.
    return signing.dumps({"u": user.id, "e": user.email.lower()}, salt=SALT, compress=True)


def do_confirm_email(token: str) -> User:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise Invalid("This confirmation link has expired.", code="link_expired") from exc
    except signing.BadSignature as exc:
        raise Invalid("This confirmation link is not valid.", code="link_invalid") from exc
    user = User.objects.filter(id=data.get("u"), is_active=True).first()
    if user is None or user.email.lower() != data.get("e"):
        raise Invalid("This confirmation link is not valid.", code="link_invalid")
    if not user.email_confirmed:
        # Conditional update: confirming twice (double click) is harmless.
        User.objects.filter(id=user.id, email_confirmed=False).update(email_confirmed=True)
        user.email_confirmed = True
    return user
