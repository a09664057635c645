"""Background work of the platform app: take ids, safe to retry."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.core.idempotency import purge_expired
from agora.platform.confirmation import make_confirmation_token

# How long a sent confirmation email is remembered, so that its task run again sends nothing.
SENT_MAIL_TTL = 24 * 3600


@shared_task
def send_confirmation_email(user_id: int, sending_id: int = 0) -> None:
    """Email the confirmation link. `sending_id` (a new id per request to send) makes a second run of
    the same task send nothing; it is remembered after the mail is sent, so a worker that dies in
    between sends it again rather than never (the cache may also forget it: mail is at least once)."""
    user = User.objects.filter(id=user_id, is_active=True, email_confirmed=False).first()
    if user is None:  # confirmed (or gone) meanwhile: nothing to send
        return
    sent_key = f"agora:mail:confirm:{sending_id}"
    if sending_id and cache.get(sent_key):
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
    if sending_id:
        cache.set(sent_key, 1, SENT_MAIL_TTL)


@shared_task(name="platform.purge_idempotency_records")
def purge_idempotency_records() -> int:
    return purge_expired()


@shared_task(name="platform.clear_expired_tokens")
def clear_expired_tokens() -> None:
    """Delete expired access/refresh tokens and codes (DOT's `cleartokens`), so lookups stay small."""
    from oauth2_provider.models import clear_expired

    clear_expired()
