"""Background work of the platform app: take ids, safe to retry."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.core.idempotency import purge_expired
from agora.core.models import IdempotencyRecord
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


# A claim IdempotencyMiddleware took for a request that never answered (its web process was killed
# mid-request) holds no response to replay: every retry with that key would be answered 409
# idempotency_in_progress until the record expires, a day later. Released this long after it was
# taken, a retry runs again, and finds what the first attempt committed where money or stock moved
# (checkout and payment starts keep their key with their rows; other market POSTs are transitions).
ABANDONED_CLAIM_SECONDS = 30
# Only claims this recent are looked at (an index range on created_at, not the day's table): one left
# by a sweeper that was down for longer waits for the daily purge.
ABANDONED_CLAIM_WINDOW = timedelta(minutes=10)


@shared_task(name="platform.release_abandoned_idempotency_claims")
def release_abandoned_idempotency_claims() -> int:
    """Forget Idempotency-Key claims with no response after ABANDONED_CLAIM_SECONDS (beat, every 15 s)."""
    now = timezone.now()
    deleted, _ = IdempotencyRecord.objects.filter(
        created_at__gte=now - ABANDONED_CLAIM_WINDOW,
        created_at__lt=now - timedelta(seconds=ABANDONED_CLAIM_SECONDS),
        status_code__isnull=True,
    ).delete()
    return deleted


@shared_task(name="platform.clear_expired_tokens")
def clear_expired_tokens() -> None:
    """Delete expired access/refresh tokens and codes (DOT's `cleartokens`), so lookups stay small."""
    from oauth2_provider.models import clear_expired

    clear_expired()
