"""CPU time per request, in-process (Django test client), on the benchmark data: a number that the
other processes on a shared 2-core machine disturb far less than req/s does.

    .venv/bin/python bench/square/cpu_per_request.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.square.env import setup  # noqa: E402

DATA = Path("/tmp/agora-bench-square.json")


def main() -> None:
    setup()
    from django.test import Client

    tokens = json.loads(DATA.read_text())["readers"][:100]
    client = Client(HTTP_HOST="127.0.0.1")
    for t in tokens:  # first reads fill the caches, as in steady state
        client.get("/api/v1/timelines/home", HTTP_AUTHORIZATION=f"Bearer {t}")
    cases = {
        "home timeline (20 posts)": lambda t: client.get(
            "/api/v1/timelines/home", HTTP_AUTHORIZATION=f"Bearer {t}"
        ),
        "trivial /api/v1/instance": lambda t: client.get("/api/v1/instance"),
        "token check only (verify_credentials)": lambda t: client.get(
            "/api/v1/accounts/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {t}"
        ),
    }
    for name, call in cases.items():
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            for t in tokens:
                call(t)
            best = min(best, (time.process_time() - start) / len(tokens) * 1000)
        print(f"{name:<40} {best:6.2f} ms CPU per request (Django process only; best of 5 x 100)")


if __name__ == "__main__":
    main()
