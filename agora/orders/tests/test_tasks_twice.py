"""The market's timed sweeps (Celery beat in production) run twice leave one effect: a worker that
dies mid-sweep has its task run again (docs/architecture.md, "Background work survives a dead worker")."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agora.catalog.models import Variant
from agora.catalog.testing import first_variant, make_product
from agora.orders.actions import do_ship_order
from agora.orders.models import Order, OrderEvent
from agora.orders.tasks import auto_confirm_orders, expire_overdue_orders
from agora.payments.models import LedgerEntry
from agora.payments.selectors import shop_balances
from agora.payments.testing import assert_ledger_balances, buy
from agora.shops.testing import make_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop_and_variant(make_user):
    shop = make_shop(make_user("seller"), shipping_fee="5.00")
    return shop, first_variant(make_product(shop, price="20.00", stock=10))


def test_expire_overdue_orders_twice_returns_the_stock_once(make_user, shop_and_variant):
    # given two unpaid orders of 3 units each, one past its pay-by time
    _shop, variant = shop_and_variant
    overdue, fresh = buy(make_user("b1"), variant, 3), buy(make_user("b2"), variant, 3)
    Order.objects.filter(id=overdue.id).update(pay_by=timezone.now() - timedelta(seconds=1))
    # when the sweep runs twice
    assert expire_overdue_orders.delay().get() == 1
    assert expire_overdue_orders.delay().get() == 0
    # then the overdue order is cancelled once and its 3 units are back, once
    assert Order.objects.get(id=overdue.id).status == "cancelled"
    assert Order.objects.get(id=fresh.id).status == "awaiting_payment"
    assert Variant.objects.get(id=variant.id).stock == 10 - 3
    assert OrderEvent.objects.filter(order_id=overdue.id, event="expire").count() == 1


def test_auto_confirm_orders_twice_pays_the_shop_once(make_user, shop_and_variant):
    # given a paid, shipped order whose buyer never confirmed it
    shop, variant = shop_and_variant
    order = buy(make_user("buyer"), variant, 2, pay=True)
    do_ship_order(shop.owner, order.id, carrier="SF", tracking_number="SF1")
    Order.objects.filter(id=order.id).update(auto_confirm_at=timezone.now() - timedelta(seconds=1))
    # when the sweep runs twice
    assert auto_confirm_orders.delay().get() == 1
    assert auto_confirm_orders.delay().get() == 0
    # then the order completed once and the shop was paid its 45.00 once
    assert Order.objects.get(id=order.id).status == "completed"
    assert OrderEvent.objects.filter(order_id=order.id, event="auto_confirm").count() == 1
    assert LedgerEntry.objects.filter(order_id=order.id, kind="release").count() == 2  # escrow -, shop +
    assert shop_balances(shop) == {"available": Decimal("45.00"), "held": Decimal("0")}
    assert_ledger_balances()
