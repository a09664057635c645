"""Background work of the platform app: take ids, safe to retry."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.core.idempotency import purge_expired
from agora.platform.confirmation import make_confirmation_token


@shared_task
def send_confirmation_email(user_id: int) -> None:
    user = User.objects.filter(id=user_id, is_active=True, email_confirmed=False).first()
    if user is None:  # confirmed (or gone) meanwhile: nothing to send
        return
    link = settings.AGORA.site_url.rstrip("/") + reverse(
        "confirm-email", kwargs={"token": make_confirmation_token(user)}
    )
    with translation.override(user.locale or settings.LANGUAGE_CODE):
        subject = _("Confirm your email for %(site)s") % {"site": settings.AGORA.site_title}
        body = _(
            "Hello @%(handle)s,\n\nOpen this link to confirm your email address:\n%(link)s\n\n"
            "The link works for three days. If you did not sign up, ignore this email."
        ) % {"handle": user.username, "link": link}
    send_mail(subject, body, None, [user.email])


@shared_task(name="platform.purge_idempotency_records")
def purge_idempotency_records() -> int:
    return purge_expired()


@shared_task(name="platform.clear_expired_tokens")
def clear_expired_tokens() -> None:
    """Delete expired access/refresh tokens and codes (DOT's `cleartokens`), so lookups stay small."""
    from oauth2_provider.models import clear_expired

    clear_expired()
