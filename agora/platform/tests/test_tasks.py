from datetime import timedelta

from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken

from agora.core.models import IdempotencyRecord
from agora.platform.tasks import clear_expired_tokens, purge_idempotency_records


def test_purge_and_clear_tasks(make_user, make_token):
    old = IdempotencyRecord.objects.create(user_id=1, key="k", method_path="POST /api/x", status_code=200)
    IdempotencyRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    IdempotencyRecord.objects.create(user_id=1, key="fresh", method_path="POST /api/x", status_code=200)
    assert purge_idempotency_records.delay().get() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]
    user = make_user()
    make_token(user)
    expired = make_token(user)
    AccessToken.objects.filter(token=expired).update(expires=timezone.now() - timedelta(days=1))
    clear_expired_tokens.delay()
    assert AccessToken.objects.count() == 1


def test_admin_lists_apps(make_user):
    admin = make_user("boss", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    from agora.platform.tests.helpers import register_app

    register_app(Client(), name="Listed App")
    assert "Listed App" in client.get("/admin/platform/appprofile/").content.decode()
