"""Kill a granian web worker (kill -9) while buyers check out and pay, and check the market's books.

--buyers buyers race for --stock units of one variant through granian (2 workers, 4 threads each):
each checks out one unit with an Idempotency-Key, starts its payment with a key and pays it in the
sandbox with a key, and retries any request that failed (connection dropped, 5xx, 409
idempotency_in_progress) with the same key, as a client must, until the stock is gone. Every
checkout that succeeded is also sent once more (a retry whose first answer was lost). After --kill-at
seconds one granian worker is killed; granian starts another.

It asserts, and prints:
- stock: units left + units in live orders = the initial stock; no order without lines;
- idempotent retries: every answer for one checkout key names the same orders, one Checkout row a key,
  one payment a payment key, no order paid twice;
- the ledger: every movement sums to zero and escrow holds what the paid orders are worth;
and it prints the respawn time, answers by status, retries, and Idempotency-Key claims the killed
worker left without a response (a retry of those keys is answered 409 idempotency_in_progress until
beat's platform.release_abandoned_idempotency_claims releases them, 30-45 s later; a Celery worker
with beat runs beside granian here). A client that retried a key for 60 s without an answer fails it.

    .venv/bin/python bench/faults/checkout_kill.py [--buyers 60 --stock 400 --kill-at 3]
    .venv/bin/python bench/faults/checkout_kill.py --kill-at -1     # the same load, no kill
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.faults import common  # noqa: E402

RETRY_FOR = 60.0  # a client gives up on a key after this long


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    retries: int = 0
    in_progress: int = 0  # 409 idempotency_in_progress answers
    gave_up: list[str] = field(default_factory=list)
    orders_by_key: dict[str, set[tuple[str, ...]]] = field(default_factory=lambda: defaultdict(set))
    payment_by_key: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    lock: threading.Lock = field(default_factory=threading.Lock)


class Buyer:
    def __init__(
        self, port: int, token: str, address_id: int, variant_id: int, tally: Tally, run: str
    ) -> None:
        self.port, self.token, self.tally, self.run = port, token, tally, run
        self.address_id, self.variant_id = address_id, variant_id
        self.conn: http.client.HTTPConnection | None = None

    def post(self, path: str, body: dict, key: str) -> tuple[int, dict] | None:
        """POST with retries under the same key; the final (status, body), or None if it gave up."""
        deadline = time.monotonic() + RETRY_FOR
        while time.monotonic() < deadline:
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.conn.request(
                    "POST",
                    path,
                    json.dumps(body),
                    {
                        "Authorization": f"Bearer {self.token}",
                        "Content-Type": "application/json",
                        "Idempotency-Key": key,
                    },
                )
                res = self.conn.getresponse()
                data = res.read()
                status = res.status
            except (OSError, http.client.HTTPException):
                self.conn = None  # the worker holding this connection died: a new one, same key
                status, data = 0, b""
            with self.tally.lock:
                self.tally.statuses[status] += 1
            parsed = json.loads(data) if data[:1] == b"{" else {}
            if status == 409 and parsed.get("code") == "idempotency_in_progress":
                with self.tally.lock:
                    self.tally.in_progress += 1
            elif status and status < 500:
                return status, parsed
            with self.tally.lock:
                self.tally.retries += 1
            time.sleep(0.1 + random.random() * 0.2)  # noqa: S311
        with self.tally.lock:
            self.tally.gave_up.append(key)
        return None

    def shop(self, n: int) -> bool:
        """One checkout, payment and sandbox payment; False once the stock is gone."""
        key = f"{self.run}-{self.token[-6:]}-{n}"
        body = {
            "address_id": str(self.address_id),
            "items": [{"variant_id": str(self.variant_id), "quantity": 1}],
        }
        first = self.post("/api/v1/checkout", body, key)
        if first is None:
            return True
        status, data = first
        if status == 409 and data.get("code") == "out_of_stock":
            return False
        if status != 201:
            raise RuntimeError(f"checkout answered {status}: {data}")
        again = self.post("/api/v1/checkout", body, key)  # its first answer "lost": the same orders
        for answer in (first, again):
            if answer and answer[0] == 201:
                with self.tally.lock:
                    self.tally.orders_by_key[key].add(tuple(o["id"] for o in answer[1]["orders"]))
        order_id = data["orders"][0]["id"]
        started = self.post(f"/api/v1/orders/{order_id}/payments", {}, f"{key}-pay")
        if started is None or started[0] != 201:
            return True
        payment_id = started[1]["id"]
        with self.tally.lock:
            self.tally.payment_by_key[f"{key}-pay"].add(payment_id)
        self.post(f"/api/v1/payments/{payment_id}/sandbox", {"outcome": "succeeded"}, f"{key}-paid")
        return True


def make_market(buyers: int, stock: int) -> tuple[int, list[tuple[str, int]]]:
    """A fresh product with `stock` units, and buyers with an address and a token each."""
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    from agora.accounts.models import User
    from agora.catalog.testing import first_variant, make_product
    from agora.orders.testing import make_address
    from agora.shops.models import Shop
    from agora.shops.testing import make_shop

    seller, _ = User.objects.get_or_create(
        username="fault_seller", defaults={"email": "fault_seller@example.com"}
    )
    shop = Shop.objects.filter(owner=seller).first() or make_shop(seller)
    variant = first_variant(make_product(shop, price="9.90", stock=stock, title=f"Fault probe {time.time()}"))
    app, _ = Application.objects.get_or_create(
        name="fault bench",
        defaults={
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
        },
    )
    out = []
    for i in range(buyers):
        buyer, _ = User.objects.get_or_create(
            username=f"fault_buyer{i}", defaults={"email": f"fb{i}@example.com"}
        )
        address = buyer.addresses.first() or make_address(buyer)  # type: ignore[attr-defined]
        raw = f"fault-{i}-{time.time_ns()}"
        AccessToken.objects.create(
            user=buyer,
            application=app,
            token=raw,
            scope="read:orders write:orders",
            expires=timezone.now() + timedelta(hours=2),
        )
        out.append((raw, address.id))
    return variant.id, out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--buyers", type=int, default=60)
    parser.add_argument("--stock", type=int, default=400)
    parser.add_argument("--kill-at", type=float, default=3.0, help="seconds into the load; negative: no kill")
    parser.add_argument("--log", default="/tmp/agora-faults-granian.log")
    args = parser.parse_args()
    env = common.fault_env("redis")
    common.setup(env)
    common.purge_queue(env)
    from django.db.models import Count, Sum

    from agora.catalog.models import Variant
    from agora.core.models import IdempotencyRecord
    from agora.orders.models import Checkout, Order, OrderLine
    from agora.payments.models import LedgerEntry, Payment
    from agora.payments.testing import assert_ledger_balances

    variant_id, buyers = make_market(args.buyers, args.stock)
    run = f"r{time.time_ns()}"
    log = Path(args.log)
    log.write_bytes(b"")
    port = common.free_port()
    server = common.start_granian(env, workers=2, threads=4, port=port, log=log)
    # Beat's jobs, among them releasing Idempotency-Key claims a killed worker left without a response.
    worker = common.start_worker(env, concurrency=1, log=Path(args.log + ".celery"), beat=True)
    tally = Tally()
    failures: list[str] = []
    try:
        workers_before = common.children(server.pid)

        def shopper(token: str, address_id: int) -> None:
            buyer = Buyer(port, token, address_id, variant_id, tally, run)
            n = 0
            while buyer.shop(n):
                n += 1

        threads = [threading.Thread(target=shopper, args=b, daemon=True) for b in buyers]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        respawn = None
        if args.kill_at >= 0:
            time.sleep(args.kill_at)
            victim = workers_before[0]
            common.kill9([victim])
            killed = time.monotonic()
            print(f"killed granian worker {victim} at {killed - t0:.1f} s")
            common.wait_for(lambda: len(set(common.children(server.pid)) - {victim}) >= 2, 60, "respawn")
            respawn = time.monotonic() - killed
            print(f"granian started a new worker process in {respawn:.2f} s")
        for t in threads:
            t.join(300)
        elapsed = time.monotonic() - t0
    finally:
        common.stop(server)
        common.stop(worker)
        common.purge_queue(env)

    orders = Order.objects.filter(lines__variant_id=variant_id).distinct()
    live = orders.exclude(status__in=["cancelled"])
    sold = (
        OrderLine.objects.filter(order__in=live, variant_id=variant_id).aggregate(n=Sum("quantity"))["n"] or 0
    )
    left = Variant.objects.get(id=variant_id).stock
    print(f"load: {args.buyers} buyers, {elapsed:.1f} s; answers by status: {dict(sorted(tally.statuses.items()))} "
          f"(0 = connection dropped); retries {tally.retries}; 409 idempotency_in_progress {tally.in_progress}")  # fmt: skip
    print(f"stock: {left} left + {sold} in live orders = {left + sold} (initial {args.stock})")
    if left + sold != args.stock:
        failures.append("stock arithmetic")
    lineless = Order.objects.filter(id__in=orders.values("id")).annotate(n=Count("lines")).filter(n=0).count()
    print(f"orders: {orders.count()}, without lines: {lineless}")
    if lineless:
        failures.append("orders without lines")
    split = [k for k, answers in tally.orders_by_key.items() if len(answers) != 1]
    keys = [k for k in tally.orders_by_key]
    checkouts = Counter(
        Checkout.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True)
    )
    print(f"checkout keys answered: {len(keys)}; keys whose answers differ: {len(split)}; "
          f"keys with more than one checkout: {sum(1 for n in checkouts.values() if n > 1)}")  # fmt: skip
    if split or any(n > 1 for n in checkouts.values()):
        failures.append("checkout idempotency")
    pay_keys = list(tally.payment_by_key)
    payments = Counter(
        Payment.objects.filter(idempotency_key__in=pay_keys).values_list("idempotency_key", flat=True)
    )
    doubled_pay = sum(1 for n in payments.values() if n > 1) + sum(
        1 for s in tally.payment_by_key.values() if len(s) > 1
    )
    twice_paid = (
        LedgerEntry.objects.filter(order__in=orders, kind="capture", account="escrow")
        .values("order")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    paid = orders.filter(status="paid").count()
    print(f"payments: {len(pay_keys)} keys, {sum(payments.values())} payments, keys with two: {doubled_pay}; "
          f"orders paid: {paid}, captured twice: {twice_paid}")  # fmt: skip
    if doubled_pay or twice_paid:
        failures.append("payment idempotency")
    try:
        assert_ledger_balances()
        print("ledger: every movement balances, escrow = paid orders")
    except AssertionError as exc:
        print(f"ledger: {exc}")
        failures.append("ledger")
    stuck = IdempotencyRecord.objects.filter(key__startswith=run, status_code__isnull=True).count()
    print(
        f"Idempotency-Key claims left with no response: {stuck}; keys a client gave up on: {len(tally.gave_up)}"
    )
    if tally.gave_up:
        placed = Checkout.objects.filter(idempotency_key__in=tally.gave_up).count()
        print(f"  of which checkouts committed all the same (the client never learned): {placed}")
        failures.append("keys given up")
    if respawn is not None:
        print(f"respawn: {respawn:.2f} s")
    print("result:", "FAILED " + ", ".join(failures) if failures else "ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
