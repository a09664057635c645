from __future__ import annotations

import json
import threading
from decimal import Decimal

import pytest
from django.db import connection

from agora.catalog.testing import first_variant, make_product
from agora.orders.checkout import Wanted, do_checkout
from agora.orders.models import Order
from agora.orders.testing import make_address
from agora.payments.actions import receive_notification
from agora.payments.gateways import SIGNATURE_HEADER, sandbox
from agora.payments.models import Account, LedgerEntry, Payment, PaymentNotification
from agora.payments.selectors import balance
from agora.payments.testing import assert_ledger_balances
from agora.shops.testing import make_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_orders(make_user, api_client):
    buyer = make_user("buyer")
    p1 = make_product(make_shop(make_user("s1")), price="10.00")
    p2 = make_product(make_shop(make_user("s2")), price="25.50")
    address = make_address(buyer)
    orders = do_checkout(
        buyer, address_id=address.id, items=[Wanted(first_variant(p1).id, 1), Wanted(first_variant(p2).id, 2)]
    )
    return buyer, orders, api_client(buyer, scope="read:orders write:orders")


def test_one_payment_for_several_orders_via_sandbox(two_orders):
    buyer, orders, client = two_orders
    res = client.post(f"/api/v1/orders/{orders[0].id}/payments", {"also_order_ids": [str(orders[1].id)]})
    assert res.status_code == 201
    payment = res.json()
    assert payment["amount"] == "61.00" and payment["pay_url"].endswith(f"/pay/sandbox/{payment['id']}")
    assert "Sandbox" in payment["gateway_label"]
    res = client.post(f"/api/v1/payments/{payment['id']}/sandbox", {"outcome": "succeeded"})
    assert res.json()["result"] == "captured" and res.json()["payment"]["status"] == "succeeded"
    assert set(Order.objects.values_list("status", flat=True)) == {"paid"}
    assert balance(Account.ESCROW) == Decimal("61.00")
    assert_ledger_balances()


def test_failed_payment_leaves_orders_payable(two_orders):
    buyer, orders, client = two_orders
    pid = client.post(f"/api/v1/orders/{orders[0].id}/payments", {}).json()["id"]
    assert client.post(f"/api/v1/payments/{pid}/sandbox", {"outcome": "failed"}).json()["result"] == "failed"
    assert Order.objects.get(id=orders[0].id).status == "awaiting_payment"
    assert LedgerEntry.objects.count() == 0
    again = client.post(f"/api/v1/orders/{orders[0].id}/payments", {})
    assert again.status_code == 201


def _signed(payment: Payment, outcome: str = "succeeded", event_id: str = "evt-1") -> tuple[bytes, str]:
    return sandbox().notification(payment, outcome, event_id=event_id)


def test_callback_verifies_signature_and_captures_once(two_orders, client):
    buyer, orders, _ = two_orders
    pay = Payment.objects.create(payer=buyer, gateway="sandbox", amount=orders[0].total)
    pay.orders.set([orders[0]])
    body, sig = _signed(pay)
    # a forged notification is refused
    forged = body.replace(b"succeeded", b"succeeded ")
    bad = client.post(
        "/api/v1/payments/callback/sandbox",
        forged,
        content_type="application/json",
        headers={SIGNATURE_HEADER: sig},
    )
    assert bad.status_code == 401 and bad.json()["code"] == "bad_signature"
    # the same notification delivered twice, and a second event for the same payment: one capture
    ok = [
        client.post(
            "/api/v1/payments/callback/sandbox",
            body,
            content_type="application/json",
            headers={SIGNATURE_HEADER: sig},
        ).json()["result"]
        for _ in range(2)
    ]
    body2, sig2 = _signed(pay, event_id="evt-2")
    third = receive_notification("sandbox", body2, {SIGNATURE_HEADER: sig2})
    assert ok == ["captured", "duplicate"] and third == "already_succeeded"
    assert LedgerEntry.objects.filter(kind="capture").count() == 2  # gateway and escrow rows
    assert PaymentNotification.objects.count() == 2
    assert_ledger_balances()


def test_tampered_amount_is_refused(two_orders):
    buyer, orders, _ = two_orders
    pay = Payment.objects.create(payer=buyer, gateway="sandbox", amount=orders[0].total)
    pay.orders.set([orders[0]])
    data = {
        "event_id": "e",
        "payment_id": str(pay.id),
        "outcome": "succeeded",
        "amount": "0.01",
        "currency": "CNY",
    }
    body = json.dumps(data).encode()
    res = receive_notification
    with pytest.raises(Exception) as exc:
        res("sandbox", body, {SIGNATURE_HEADER: sandbox().sign(body)})
    assert getattr(exc.value, "code", "") == "amount_mismatch"
    assert Order.objects.get(id=orders[0].id).status == "awaiting_payment"


def test_payment_arriving_after_cancel_is_returned(two_orders):
    buyer, orders, client = two_orders
    pid = client.post(f"/api/v1/orders/{orders[0].id}/payments", {}).json()["id"]
    client.post(f"/api/v1/orders/{orders[0].id}/cancel")
    assert (
        client.post(f"/api/v1/payments/{pid}/sandbox", {"outcome": "succeeded"}).json()["result"]
        == "captured"
    )
    assert Order.objects.get(id=orders[0].id).status == "cancelled"
    assert balance(Account.ESCROW) == 0 and balance(Account.GATEWAY) == 0
    assert_ledger_balances()


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_notifications_capture_once(make_user):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL for real concurrent transactions (run with AGORA_DATABASE_URL=postgres://...)"
        )
    buyer = make_user("buyer")
    product = make_product(make_shop(make_user("s")), price="9.90")
    order = do_checkout(
        buyer, address_id=make_address(buyer).id, items=[Wanted(first_variant(product).id, 1)]
    )[0]
    pay = Payment.objects.create(payer=buyer, gateway="sandbox", amount=order.total)
    pay.orders.set([order])
    notes = [_signed(pay, event_id=f"evt-{i % 2}") for i in range(8)]
    results: list[str] = []
    barrier = threading.Barrier(len(notes))

    def deliver(body: bytes, sig: str) -> None:
        barrier.wait()
        try:
            results.append(receive_notification("sandbox", body, {SIGNATURE_HEADER: sig}))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=n) for n in notes]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert results.count("captured") == 1
    assert LedgerEntry.objects.filter(kind="capture", account=Account.ESCROW).count() == 1
    assert_ledger_balances()


def test_sandbox_switched_off_refuses_new_and_sandbox_payments(two_orders, settings):
    # given a payment started while the sandbox was on
    buyer, orders, client = two_orders
    pid = client.post(f"/api/v1/orders/{orders[0].id}/payments", {}).json()["id"]
    # when the site switches the sandbox off (as AGORA_DEBUG=0 does by default)
    from dataclasses import replace

    settings.AGORA = replace(settings.AGORA, payment_sandbox=False)
    # then nobody can "pay" through it any more, and no new sandbox payment starts
    res = client.post(f"/api/v1/payments/{pid}/sandbox", {"outcome": "succeeded"})
    assert res.status_code == 409 and res.json()["code"] == "gateway_unavailable"
    res = client.post(f"/api/v1/orders/{orders[1].id}/payments", {})
    assert res.status_code == 409 and res.json()["code"] == "gateway_unavailable"
    assert set(Order.objects.values_list("status", flat=True)) == {"awaiting_payment"}
    # and the payment already made stays readable
    assert client.get(f"/api/v1/payments/{pid}").status_code == 200


def test_sandbox_defaults_off_in_production():
    from agora.config import AgoraConfig

    assert AgoraConfig.from_env({}).payment_sandbox is True
    assert AgoraConfig.from_env({"AGORA_DEBUG": "0"}).payment_sandbox is False
    assert AgoraConfig.from_env({"AGORA_DEBUG": "0", "AGORA_PAYMENT_SANDBOX": "1"}).payment_sandbox is True


def test_sandbox_pay_page_is_gone_when_switched_off(two_orders, client, settings):
    from dataclasses import replace

    buyer, orders, api = two_orders
    pid = api.post(f"/api/v1/orders/{orders[0].id}/payments", {}).json()["id"]
    client.force_login(buyer)
    assert client.get(f"/pay/sandbox/{pid}").status_code == 200
    settings.AGORA = replace(settings.AGORA, payment_sandbox=False)
    assert client.get(f"/pay/sandbox/{pid}").status_code == 404
    assert client.post(f"/pay/sandbox/{pid}", {"outcome": "succeeded"}).status_code == 404


def test_a_notice_signed_with_the_public_development_secret_is_refused(two_orders, client):
    # given a sandbox notification signed the way anyone reading the source could sign one
    import hashlib
    import hmac

    from agora.config import DEFAULT_SECRET_KEY

    buyer, orders, _ = two_orders
    pay = Payment.objects.create(payer=buyer, gateway="sandbox", amount=orders[0].total)
    pay.orders.set([orders[0]])
    body, _sig = _signed(pay)
    public_key = hashlib.sha256(f"agora-sandbox-gateway:{DEFAULT_SECRET_KEY}".encode()).digest()
    forged = hmac.new(public_key, body, hashlib.sha256).hexdigest()
    # when it is delivered
    response = client.post(
        "/api/v1/payments/callback/sandbox",
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: forged},
    )
    # then it is refused and nothing is paid
    assert response.status_code == 401 and response.json()["code"] == "bad_signature"
    assert Order.objects.get(id=orders[0].id).status == "awaiting_payment"
