"""Stock and payments under real concurrency. These need PostgreSQL: SQLite takes one writer at a time.

When the suite itself runs on SQLite, `test_concurrency_on_postgresql` re-runs this file in a
subprocess against a dedicated PostgreSQL database (AGORA_MARKET_TEST_PG, default
postgres://root@127.0.0.1:5432/agora_market_ci_<pid>), and is skipped only when PostgreSQL cannot be reached.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from agora.catalog.models import Variant
from agora.catalog.testing import first_variant, make_product
from agora.core.errors import Conflict
from agora.orders.checkout import Wanted, do_checkout
from agora.orders.models import Order, OrderLine
from agora.orders.testing import make_address
from agora.payments.testing import assert_ledger_balances
from agora.shops.testing import make_shop

# One database per run (pytest-django creates test_<name> and drops it at the end), so two developers'
# suites running at once do not collide.
PG_URL = os.environ.get(
    "AGORA_MARKET_TEST_PG", f"postgres://root@127.0.0.1:5432/agora_market_ci_{os.getpid()}"
)
needs_pg = pytest.mark.skipif(not settings.IS_POSTGRES, reason="runs on PostgreSQL (see module docstring)")


def _race(buyers, variant_id: int, quantity: int) -> tuple[int, int]:
    barrier = threading.Barrier(len(buyers))
    outcome = {"sold": 0, "refused": 0}
    lock = threading.Lock()

    def attempt(buyer, address_id):
        barrier.wait()
        try:
            do_checkout(buyer, address_id=address_id, items=[Wanted(variant_id, quantity)])
            key = "sold"
        except Conflict as exc:
            assert exc.code == "out_of_stock"
            key = "refused"
        finally:
            connection.close()
        with lock:
            outcome[key] += 1

    threads = [threading.Thread(target=attempt, args=b) for b in buyers]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return outcome["sold"], outcome["refused"]


@needs_pg
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("quantity", [1, 3])
def test_many_threads_buying_the_last_units_sell_exactly_the_stock(make_user, quantity):
    # given 10 units and 24 buyers racing for them
    product = make_product(make_shop(make_user("seller")), price="99.00", stock=10)
    variant = first_variant(product)
    buyers = [(u, make_address(u).id) for u in (make_user() for _ in range(24))]
    # when they all check out at once
    sold, refused = _race(buyers, variant.id, quantity)
    # then exactly the stock is sold and no more
    assert sold == 10 // quantity and refused == 24 - sold
    assert Variant.objects.get(id=variant.id).stock == 10 - sold * quantity
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == sold * quantity
    assert Order.objects.count() == sold


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_concurrent_checkouts_with_one_idempotency_key_make_one_set(make_user):
    product = make_product(make_shop(make_user("seller")), price="5.00", stock=50)
    buyer = make_user("buyer")
    address_id = make_address(buyer).id
    variant_id = first_variant(product).id
    barrier = threading.Barrier(8)
    got: list[list[int]] = []

    def attempt():
        barrier.wait()
        try:
            orders = do_checkout(
                buyer, address_id=address_id, items=[Wanted(variant_id, 2)], idempotency_key="same-key"
            )
            got.append([o.id for o in orders])
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(got) == 8 and len({tuple(g) for g in got}) == 1
    assert Order.objects.count() == 1 and Variant.objects.get(id=variant_id).stock == 48
    assert_ledger_balances()


@pytest.mark.skipif(settings.IS_POSTGRES, reason="already running on PostgreSQL")
def test_concurrency_on_postgresql():
    try:
        import psycopg

        psycopg.connect("postgresql://root@127.0.0.1:5432/postgres", connect_timeout=2).close()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432 ({exc}); concurrency tests not run")
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "AGORA_DATABASE_URL": PG_URL}
    files = [str(Path(__file__)), str(root / "agora/payments/tests/test_payments.py")]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:warnings",
            "--create-db",
            *files,
            "-k",
            "concurren or threads or idempotency_key_make",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "4 passed" in proc.stdout, proc.stdout[-1000:]  # 2 stock races, 1 key race, 1 notification race
