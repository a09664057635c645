"""/health/live and /health/ready: JSON, no auth, answered whatever Host a probe sends."""

from dataclasses import replace

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_live_answers_any_host_without_touching_anything(django_assert_num_queries):
    # a probe addresses the process by its pod IP, which ALLOWED_HOSTS does not list
    with django_assert_num_queries(0):
        res = Client(HTTP_HOST="10.1.2.3:8000").get("/health/live")
    assert res.status_code == 200 and res.json() == {"status": "ok"}
    assert res["Cache-Control"] == "no-store"


def test_ready_checks_the_database_and_says_how_long_it_took():
    res = Client(HTTP_HOST="10.1.2.3:8000").get("/health/ready/")
    body = res.json()
    assert res.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True and body["checks"]["database"]["ms"] >= 0


def test_ready_shows_the_outbox_without_being_decided_by_it():
    from django.utils import timezone

    from agora.core.ids import id_at
    from agora.core.models import OutboxMessage

    # given a commit's tasks left unsent a minute ago (its process died), and a dead letter
    OutboxMessage.objects.create(id=id_at(timezone.now().timestamp() - 60), calls=[["x", [], {}]])
    OutboxMessage.objects.create(
        id=id_at(timezone.now().timestamp() - 90), calls=[["y", [], {}]], attempts=99
    )
    res = Client().get("/health/ready")
    body = res.json()
    # then it is ready all the same, and says what waits
    assert res.status_code == 200 and body["status"] == "ok"
    assert body["outbox"]["unsent"] == 1 and body["outbox"]["dead"] == 1
    assert body["outbox"]["oldest_seconds"] >= 60


@pytest.mark.parametrize("field,name", [("redis_url", "redis"), ("broker_url", "broker")])
def test_ready_is_503_naming_the_service_that_does_not_answer(settings, field, name):
    # given a Redis / broker URL where nothing listens (port 1)
    settings.AGORA = replace(settings.AGORA, **{field: "redis://127.0.0.1:1/0"})
    res = Client().get("/health/ready")
    body = res.json()
    assert res.status_code == 503 and body["status"] == "fail"
    assert body["checks"][name]["ok"] is False and "ConnectionError" in body["checks"][name]["error"]
    assert body["checks"]["database"]["ok"] is True


def test_ready_checks_an_amqp_broker(settings):
    settings.AGORA = replace(settings.AGORA, broker_url="amqp://guest:guest@127.0.0.1:1//")
    res = Client().get("/health/ready")
    assert res.status_code == 503 and res.json()["checks"]["broker"]["ok"] is False


def test_health_takes_get_only_and_leaves_other_paths_alone():
    client = Client()
    assert client.post("/health/live").status_code == 405
    assert client.get("/health/other").status_code == 404
    assert client.get("/health/livex").status_code == 404
