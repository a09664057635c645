"""CPU time per request, in-process (Django test client), on the benchmark data: a number that the
other processes on a shared 2-core machine disturb far less than req/s does.

    .venv/bin/python bench/square/cpu_per_request.py [--without PIECE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench import without  # noqa: E402
from bench.square.env import setup  # noqa: E402

DATA = Path("/tmp/agora-bench-square.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--without", action="append", default=[], choices=without.PIECES)
    opts = parser.parse_args()
    without.before_setup(opts.without)
    setup()
    without.apply(opts.without)
    from django.test import Client
    from oauth2_provider.models import AccessToken

    from agora.core import hotcache
    from agora.social.relations import celebs_cache_key, rf_cache_key

    tokens = json.loads(DATA.read_text())["readers"][:100]
    client = Client(HTTP_HOST="127.0.0.1")
    for t in tokens:  # first reads fill the caches, as in steady state
        client.get("/api/v1/timelines/home", HTTP_AUTHORIZATION=f"Bearer {t}")
    owner = {
        t: AccessToken.objects.get(token_checksum=hashlib.sha256(t.encode()).hexdigest()).user_id
        for t in tokens
    }

    def home(t: str) -> None:
        client.get("/api/v1/timelines/home", HTTP_AUTHORIZATION=f"Bearer {t}")

    def expire_lists(t: str) -> None:
        hotcache.delete_many([rf_cache_key(owner[t]), celebs_cache_key(owner[t])])

    # name: (untimed step before each request, the request)
    cases: dict[str, tuple[Callable[[str], None], Callable[[str], object]]] = {
        "home timeline (20 posts)": (lambda t: None, home),
        "home, the reader's cached lists expired": (expire_lists, home),
        "trivial /api/v1/instance": (lambda t: None, lambda t: client.get("/api/v1/instance")),
        "token check only (verify_credentials)": (
            lambda t: None,
            lambda t: client.get("/api/v1/accounts/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {t}"),
        ),
    }
    for name, (before, call) in cases.items():
        best = float("inf")
        for _ in range(5):
            spent = 0.0
            for t in tokens:
                before(t)
                start = time.process_time()
                call(t)
                spent += time.process_time() - start
            best = min(best, spent / len(tokens) * 1000)
        print(f"{name:<40} {best:6.2f} ms CPU per request (Django process only; best of 5 x 100)")


if __name__ == "__main__":
    main()
