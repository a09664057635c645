"""CPU per request in-process: Django's WSGI handler called with a granian-like environ, on the
flash sale's data (PostgreSQL agora_bench_market, Redis db 3). Disturbed far less by other work on
the machine than requests per second are; compare two versions by running this on each.

    .venv/bin/python bench/market/checkout_cpu.py [--requests 200] [--profile tottime] [--without PIECE]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench import without  # noqa: E402
from bench.market import flash_sale  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="buyers, one checkout each per pass")
    parser.add_argument("--profile", help="also print a cProfile of checkouts sorted by this key")
    parser.add_argument("--without", action="append", default=[], choices=without.PIECES)
    opts = parser.parse_args()
    without.before_setup(opts.without)
    data = flash_sale.setup(1_000_000, opts.requests)
    without.apply(opts.without)
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()

    def call(method: str, path: str, token: str, body: bytes = b"", query: str = "") -> None:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(flash_sale.PORT),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": f"127.0.0.1:{flash_sale.PORT}",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
        }
        b"".join(app(environ, lambda status, headers, exc_info=None: None))

    variant = data["variant_ids"][0]
    buyers = [
        (
            t,
            json.dumps(
                {"address_id": str(a), "items": [{"variant_id": str(variant), "quantity": 1}]}
            ).encode(),
        )
        for t, a in data["buyers"]
    ]
    cases = {
        "POST /api/v1/checkout": lambda t, b: call("POST", "/api/v1/checkout", t, b),
        "GET /api/v1/orders?limit=1": lambda t, b: call("GET", "/api/v1/orders", t, query="limit=1"),
        "GET /api/v1/instance": lambda t, b: call("GET", "/api/v1/instance", t),
    }
    for t, b in buyers:  # first requests fill caches and prepare statements, as on a running server
        cases["POST /api/v1/checkout"](t, b)
    for name, run in cases.items():
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            for t, b in buyers:
                run(t, b)
            best = min(best, (time.process_time() - start) / len(buyers) * 1000)
        print(f"{name:28} {best:6.3f} ms CPU per request (best of 3 x {len(buyers)})")
    if opts.profile:
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for t, b in buyers:
            cases["POST /api/v1/checkout"](t, b)
        profile.disable()
        pstats.Stats(profile).sort_stats(opts.profile).print_stats(40)


if __name__ == "__main__":
    main()
