"""Starting a payment honours Idempotency-Key in the action itself (as checkout does): a retry after a
lost response, a double click or a resent form gets the payment the key started, not a second one."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from agora.catalog.testing import first_variant, make_product
from agora.core.models import IdempotencyRecord
from agora.orders.checkout import Wanted, do_checkout
from agora.orders.testing import make_address
from agora.payments.actions import do_sandbox_outcome, do_start_payment
from agora.payments.models import Payment
from agora.shops.testing import make_shop


@pytest.fixture
def unpaid(make_user, api_client):
    """A buyer with two unpaid orders, and an orders-scoped API client of theirs."""
    buyer = make_user("buyer")
    products = [make_product(make_shop(make_user(f"s{i}")), price="10.00") for i in range(2)]
    orders = do_checkout(
        buyer, address_id=make_address(buyer).id, items=[Wanted(first_variant(p).id, 1) for p in products]
    )
    return buyer, orders, api_client(buyer, scope="read:orders write:orders")


@pytest.mark.django_db
def test_a_retry_whose_first_response_was_lost_gets_the_same_payment(unpaid):
    # given a payment started with a key, whose response never reached the client: the web process
    # died after the commit, so the middleware kept no response to replay
    buyer, orders, client = unpaid
    path = f"/api/v1/orders/{orders[0].id}/payments"
    first = client.post(path, {}, headers={"Idempotency-Key": "pay-1"})
    assert first.status_code == 201
    IdempotencyRecord.objects.all().delete()
    # when the client retries with the same key
    again = client.post(path, {}, headers={"Idempotency-Key": "pay-1"})
    # then it gets the same payment, and there is one
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert Payment.objects.count() == 1
    # while another key (or none) starts another payment, as before
    assert client.post(path, {}, headers={"Idempotency-Key": "pay-2"}).json()["id"] != first.json()["id"]
    assert Payment.objects.count() == 2


@pytest.mark.django_db
def test_a_key_whose_request_died_mid_way_works_again_once_its_claim_is_released(unpaid):
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import AccessToken

    from agora.platform.tasks import release_abandoned_idempotency_claims

    # given the payment committed, but the web process died before storing its response: the
    # middleware's claim for the key is left with no response
    buyer, orders, client = unpaid
    payment = do_start_payment(buyer, [orders[0].id], idempotency_key="died")
    app_id = AccessToken.objects.get(token=client.token).application_id
    path = f"/api/v1/orders/{orders[0].id}/payments"
    claim = IdempotencyRecord.objects.create(
        user_id=buyer.id, application_id=app_id, key="died", method_path=f"POST {path}"
    )
    IdempotencyRecord.objects.filter(pk=claim.pk).update(created_at=timezone.now() - timedelta(seconds=40))
    # then a retry is told the first is still running
    stuck = client.post(path, {}, headers={"Idempotency-Key": "died"})
    assert stuck.status_code == 409 and stuck.json()["code"] == "idempotency_in_progress"
    # until the claim is released (beat, every 15 s); then the retry gets the payment the key made
    release_abandoned_idempotency_claims.delay()
    again = client.post(path, {}, headers={"Idempotency-Key": "died"})
    assert again.status_code == 201 and again.json()["id"] == str(payment.id)
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_a_repeat_after_the_payment_succeeded_gets_it_not_a_conflict(unpaid):
    buyer, orders, _ = unpaid
    payment = do_start_payment(buyer, [orders[0].id], idempotency_key="k")
    assert do_sandbox_outcome(buyer, payment.id, "succeeded") == "captured"
    # the order is paid now: without the key this would be 409 illegal_transition
    again = do_start_payment(buyer, [orders[0].id], idempotency_key=" k ")
    assert again.id == payment.id and again.status == "succeeded"


@pytest.mark.django_db
def test_the_same_key_for_other_orders_is_refused(unpaid):
    buyer, orders, client = unpaid
    do_start_payment(buyer, [orders[0].id], idempotency_key="k")
    res = client.post(
        f"/api/v1/orders/{orders[0].id}/payments",
        {"also_order_ids": [str(orders[1].id)]},
        headers={"Idempotency-Key": "k"},
    )
    assert res.status_code == 422 and res.json()["code"] == "idempotency_key_reused"
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_per_payer(unpaid, make_user):
    buyer, orders, _ = unpaid
    other = make_user("other")
    order = do_checkout(
        other,
        address_id=make_address(other).id,
        items=[Wanted(first_variant(make_product(make_shop(make_user("s9")))).id, 1)],
    )[0]
    mine = do_start_payment(buyer, [orders[0].id], idempotency_key="same")
    theirs = do_start_payment(other, [order.id], idempotency_key="same")
    assert mine.id != theirs.id and theirs.payer_id == other.id


@pytest.mark.django_db
def test_a_double_click_on_pay_starts_one_payment(unpaid):
    buyer, orders, _ = unpaid
    browser = Client()
    browser.force_login(buyer)
    page = browser.get(f"/market/orders/{orders[0].id}")
    key = page.context["pay_key"]
    assert f'name="idempotency_key" value="{key}"' in page.content.decode()
    # two posts of the same form
    locations = [
        browser.post(f"/market/orders/{orders[0].id}/pay", {"idempotency_key": key})["Location"]
        for _ in range(2)
    ]
    assert "/pay/sandbox/" in locations[0] and locations[0] == locations[1]
    assert Payment.objects.filter(orders=orders[0]).count() == 1


@pytest.mark.django_db
def test_a_resent_checkout_form_starts_one_payment(make_user):
    buyer = make_user("buyer")
    variant = first_variant(make_product(make_shop(make_user("seller")), price="10.00"))
    address = make_address(buyer)
    browser = Client()
    browser.force_login(buyer)
    form = {"variant_id": variant.id, "quantity": 1, "address_id": address.id, "idempotency_key": "form-1"}
    locations = [browser.post("/market/checkout", form)["Location"] for _ in range(2)]
    assert "/pay/sandbox/" in locations[0] and locations[0] == locations[1]
    assert Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_with_one_key_make_one_payment(unpaid):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real concurrent transactions (AGORA_DATABASE_URL=postgres://...)")
    buyer, orders, _ = unpaid
    ids: list[int] = []
    barrier = threading.Barrier(6)

    def start() -> None:
        barrier.wait()
        try:
            ids.append(do_start_payment(buyer, [o.id for o in orders], idempotency_key="race").id)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(ids) == 6 and len(set(ids)) == 1
    assert Payment.objects.count() == 1
