"""The platform's tasks run twice leave one effect: a worker that dies mid-task has its task run
again (docs/architecture.md, "Background work survives a dead worker")."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from oauth2_provider.models import AccessToken

from agora.core.models import IdempotencyRecord
from agora.platform.tasks import clear_expired_tokens, purge_idempotency_records, send_confirmation_email

pytestmark = pytest.mark.django_db


def test_send_confirmation_email_twice_sends_one_mail(make_user):
    user = make_user("newcomer", email_confirmed=False)
    # the same request to send, run twice: one mail
    send_confirmation_email.delay(user.id, 101)
    send_confirmation_email.delay(user.id, 101)
    assert [m.to for m in mail.outbox] == [[user.email]]
    # a second request (the "resend" button) is a mail of its own
    send_confirmation_email.delay(user.id, 102)
    assert len(mail.outbox) == 2


def test_purge_idempotency_records_twice_deletes_the_old_once():
    old = IdempotencyRecord.objects.create(user_id=1, key="old", method_path="POST /api/x", status_code=200)
    IdempotencyRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    IdempotencyRecord.objects.create(user_id=1, key="fresh", method_path="POST /api/x", status_code=200)
    assert purge_idempotency_records.delay().get() == 1
    assert purge_idempotency_records.delay().get() == 0
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]


def test_clear_expired_tokens_twice_keeps_the_live_ones(make_user, make_token):
    user = make_user()
    live, expired = make_token(user), make_token(user)
    AccessToken.objects.filter(token=expired).update(expires=timezone.now() - timedelta(days=1))
    clear_expired_tokens.delay()
    clear_expired_tokens.delay()
    assert list(AccessToken.objects.values_list("token", flat=True)) == [live]


def test_release_abandoned_idempotency_claims_twice_releases_only_the_abandoned():
    from agora.platform.tasks import release_abandoned_idempotency_claims

    def record(key: str, age: timedelta, status: int | None) -> None:
        r = IdempotencyRecord.objects.create(
            user_id=1, key=key, method_path="POST /api/x", status_code=status
        )
        IdempotencyRecord.objects.filter(pk=r.pk).update(created_at=timezone.now() - age)

    record("abandoned", timedelta(seconds=40), None)  # its web process died mid-request
    record("running", timedelta(seconds=5), None)  # still being answered
    record("answered", timedelta(seconds=40), 201)  # replayed to retries
    assert release_abandoned_idempotency_claims.delay().get() == 1
    assert release_abandoned_idempotency_claims.delay().get() == 0
    assert set(IdempotencyRecord.objects.values_list("key", flat=True)) == {"running", "answered"}
