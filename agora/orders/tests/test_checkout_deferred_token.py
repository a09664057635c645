"""Checkout checks a token this process has found before in the round trip of its first read
(agora/api/fastpath.py, ADR 0004): every refusal of the ordinary check still holds on the
very next request, and a refused checkout writes nothing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import AccessToken

from agora.accounts.models import User
from agora.catalog.models import Variant
from agora.catalog.testing import first_variant
from agora.orders.models import Order
from agora.orders.testing import make_address
from agora.platform.actions import do_revoke_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_profile():
    if connection.vendor != "postgresql":
        pytest.skip("the deferred token check runs on PostgreSQL only (the production profile)")


@pytest.fixture
def seen(market, make_token, api_client):
    """The buyer's token, already used once (so this process has found it), and a variant for sale."""
    seller, buyer, shop, product, address, _ = market
    raw = make_token(buyer, "read:orders write:orders")
    client = api_client(token=raw)
    assert client.get("/api/v1/orders").status_code == 200
    return buyer, raw, client, address, first_variant(product)


def buy(client, address, variant, **headers):
    body = {"address_id": str(address.id), "items": [{"variant_id": str(variant.id)}]}
    return client.post("/api/v1/checkout", body, headers=headers)


def assert_refused_and_nothing_written(response, status: int, code: str, variant) -> None:
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert Order.objects.count() == 0
    assert Variant.objects.get(id=variant.id).stock == 5


def test_a_seen_token_is_checked_in_the_reads_round_trip(seen):
    buyer, raw, client, address, variant = seen
    with CaptureQueriesContext(connection) as captured:
        response = buy(client, address, variant)
    assert response.status_code == 201, response.content
    # one query checks the token and reads the address and variants; then come the writes (one
    # query, inside a savepoint here as the test runs in a transaction)
    sql = [q["sql"] for q in captured.captured_queries]
    assert "EXECUTE agora_token_along(" in sql[0] and "EXECUTE agora_checkout_read(" in sql[0]
    assert sum("agora_token" in q for q in sql) == 1
    assert len([q for q in sql if "SAVEPOINT" not in q]) == 2
    (order,) = Order.objects.all()
    assert order.buyer_id == buyer.id
    assert Variant.objects.get(id=variant.id).stock == 4


def test_revoked_token_is_refused_and_nothing_is_written(seen):
    buyer, raw, client, address, variant = seen
    assert do_revoke_token(raw) is True
    assert_refused_and_nothing_written(buy(client, address, variant), 401, "invalid_token", variant)


def test_token_expired_in_bulk_is_refused(seen):
    buyer, raw, client, address, variant = seen
    AccessToken.objects.filter(token=raw).update(expires=timezone.now() - timedelta(seconds=1))
    assert_refused_and_nothing_written(buy(client, address, variant), 401, "invalid_token", variant)


def test_user_deactivated_in_bulk_is_refused(seen):
    buyer, raw, client, address, variant = seen
    User.objects.filter(pk=buyer.pk).update(is_active=False)
    assert_refused_and_nothing_written(buy(client, address, variant), 401, "account_disabled", variant)


def test_token_without_the_scope_is_refused(market, make_token, api_client):
    seller, buyer, shop, product, address, _ = market
    variant = first_variant(product)
    client = api_client(token=make_token(buyer, "read:orders"))
    assert client.get("/api/v1/orders").status_code == 200  # found by this process
    assert_refused_and_nothing_written(buy(client, address, variant), 403, "insufficient_scope", variant)


def test_revoked_token_with_a_bad_body_is_told_its_token_is_bad(seen):
    buyer, raw, client, address, variant = seen
    do_revoke_token(raw)
    response = client.post("/api/v1/checkout", {"address_id": "not a number"})
    assert response.status_code == 401 and response.json()["code"] == "invalid_token"
    # and so is one whose body is well formed but asks for nothing to buy
    response = client.post("/api/v1/checkout", {"address_id": str(address.id)})
    assert response.status_code == 401 and response.json()["code"] == "invalid_token"


def test_token_now_of_another_user_buys_for_that_user(seen, make_user):
    buyer, raw, client, address, variant = seen
    carol = make_user("carol")
    AccessToken.objects.filter(token=raw).update(user=carol)
    # the buyer's address is not carol's
    response = buy(client, address, variant)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Order.objects.count() == 0
    # with her own address she buys, as herself
    response = buy(client, make_address(carol), variant)
    assert response.status_code == 201
    assert Order.objects.get().buyer_id == carol.id


def test_idempotency_key_and_cart_still_work(seen):
    buyer, raw, client, address, variant = seen
    first = buy(client, address, variant, **{"Idempotency-Key": "k1"})
    again = buy(client, address, variant, **{"Idempotency-Key": "k1"})
    assert first.status_code == 201 and again.json() == first.json()
    assert client.post("/api/v1/cart/items", {"variant_id": str(variant.id), "quantity": 2}).status_code in (
        200,
        201,
    )
    from_cart = client.post("/api/v1/checkout", {"address_id": str(address.id), "from_cart": True})
    assert from_cart.status_code == 201, from_cart.content
    assert Order.objects.count() == 2
    assert Variant.objects.get(id=variant.id).stock == 2


def test_a_repeated_key_is_checked_before_the_first_checkout_is_replayed(seen, api_client):
    # given a checkout sent with an Idempotency-Key (its response names the buyer's address)
    buyer, raw, client, address, variant = seen
    first = buy(client, address, variant, **{"Idempotency-Key": "k1"})
    assert first.status_code == 201, first.content
    # when the same app's read-only token, seen by this process, repeats the key
    first_token = AccessToken.objects.get(token=raw)
    AccessToken.objects.create(
        user=buyer, application=first_token.application, token=raw + "-read", scope="read:orders",
        expires=first_token.expires,
    )  # fmt: skip
    reader = api_client(token=raw + "-read")
    assert reader.get("/api/v1/orders").status_code == 200
    refused = buy(reader, address, variant, **{"Idempotency-Key": "k1"})
    # then it gets the endpoint's own refusal, not the stored orders
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
    assert "Idempotent-Replayed" not in refused
    # and so does the buyer's own token once the account is disabled
    User.objects.filter(pk=buyer.pk).update(is_active=False)
    disabled = buy(client, address, variant, **{"Idempotency-Key": "k1"})
    assert disabled.status_code == 401 and disabled.json()["code"] == "account_disabled"
    assert "Idempotent-Replayed" not in disabled and Order.objects.count() == 1
