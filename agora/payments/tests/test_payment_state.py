"""The payment state machine: an audit row per transition, illegal moves refused with 409."""

from __future__ import annotations

import pytest

from agora.catalog.testing import first_variant, make_product
from agora.core.errors import Conflict
from agora.orders.checkout import Wanted, do_checkout
from agora.orders.testing import make_address
from agora.payments.actions import do_sandbox_outcome, do_start_payment
from agora.payments.models import Payment, PaymentEvent
from agora.payments.state import TRANSITIONS, transition
from agora.payments.testing import assert_ledger_balances
from agora.shops.testing import make_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(make_user) -> Payment:
    buyer = make_user("buyer")
    product = make_product(make_shop(make_user("seller")), price="12.00")
    order = do_checkout(
        buyer, address_id=make_address(buyer).id, items=[Wanted(first_variant(product).id, 1)]
    )
    return do_start_payment(buyer, [order[0].id])


def _history(payment: Payment) -> list[tuple[str, str, str]]:
    return list(PaymentEvent.objects.filter(payment=payment).values_list("event", "from_status", "to_status"))


def test_a_payment_is_created_pending_and_succeeds_once_with_an_audit_row_each(payment):
    # given a new payment
    assert _history(payment) == [("create", "", "pending")]
    assert PaymentEvent.objects.get(payment=payment).actor_id == payment.payer_id
    # when the gateway says it succeeded, twice (two deliveries of two notices)
    first = do_sandbox_outcome(payment.payer, payment.id, "succeeded")
    second = do_sandbox_outcome(payment.payer, payment.id, "succeeded")
    # then it moved once, recorded with the gateway's event and no user as actor
    assert (first, second) == ("captured", "already_succeeded")
    assert _history(payment) == [("create", "", "pending"), ("succeed", "pending", "succeeded")]
    event = PaymentEvent.objects.get(payment=payment, event="succeed")
    assert event.actor_id is None and event.note.startswith("sandbox sbx_")
    payment.refresh_from_db()
    assert payment.status == "succeeded" and payment.completed_at is not None
    assert_ledger_balances()


def test_a_failed_payment_stays_failed(payment):
    assert do_sandbox_outcome(payment.payer, payment.id, "failed") == "failed"
    # a success arriving after the failure changes nothing
    assert do_sandbox_outcome(payment.payer, payment.id, "succeeded") == "already_failed"
    assert _history(payment) == [("create", "", "pending"), ("fail", "pending", "failed")]


@pytest.mark.parametrize(
    "settled, event", [("succeeded", "fail"), ("failed", "succeed"), ("succeeded", "succeed")]
)
def test_moving_a_settled_payment_is_an_illegal_transition(payment, settled, event):
    transition(payment, "succeed" if settled == "succeeded" else "fail", actor=None)
    with pytest.raises(Conflict) as caught:
        transition(payment, event, actor=None)
    assert caught.value.code == "illegal_transition" and caught.value.status == 409
    assert PaymentEvent.objects.filter(payment=payment).count() == 2  # create + the one move


def test_every_transition_ends_settled():
    # A payment settles once: no move leaves succeeded or failed.
    assert {old for old, _ in TRANSITIONS} == {"pending"}
    assert set(TRANSITIONS.values()) == {"succeeded", "failed"}
