"""Server-side cost of the account pages: a full request through middleware, i18n and templates.

    .venv/bin/python bench/web/pages.py [--n 300]

In-process (Django test client, no sockets) on a fresh temporary SQLite database, so the numbers are
the Python cost of one request on one core: compare with the ~150 µs floor in docs/DESIGN.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
_tmp = tempfile.mkdtemp(prefix="agora-bench-web-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
os.environ["AGORA_DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
os.environ["AGORA_DEBUG"] = "1"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from agora.accounts.models import User  # noqa: E402


def measure(client: Client, path: str, n: int, **headers: str) -> tuple[float, int]:
    assert client.get(path, headers=headers).status_code == 200, path  # warm up template caches
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path, headers=headers)
    start = time.perf_counter()
    for _ in range(n):
        client.get(path, headers=headers)
    return (time.perf_counter() - start) / n * 1000, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    n = parser.parse_args().n
    call_command("migrate", verbosity=0)
    user = User.objects.create_user(
        "bench",
        "bench@example.com",
        "bench passphrase 123",
        display_name="测试用户",
        bio="Hello <b>world</b>",
        website="https://example.com",
    )
    anonymous, member = Client(), Client()
    member.force_login(user)
    rows = [
        ("landing, anonymous (en)", anonymous, "/", {}),
        ("landing, anonymous (zh-CN)", anonymous, "/", {"accept-language": "zh-CN"}),
        ("log-in page", anonymous, "/login", {}),
        ("sign-up page", anonymous, "/signup", {}),
        ("profile /@bench, anonymous", anonymous, "/@bench", {}),
        ("profile /@bench, owner", member, "/@bench", {}),
        ("settings/profile, owner", member, "/settings/profile", {}),
    ]
    # cached template loader as in production (DEBUG off)
    with override_settings(DEBUG=False):
        print(f"full request in-process, {n} requests each, one core (DEBUG off, SQLite, locmem cache)")
        print(f"{'page':32} {'ms/req':>8} {'req/s':>8} {'queries':>8}")
        for label, client, path, headers in rows:
            ms, q = measure(client, path, n, **headers)
            print(f"{label:32} {ms:8.2f} {1000 / ms:8.0f} {q:8d}")
    print(f"(database: {settings.DATABASES['default']['NAME']})")


if __name__ == "__main__":
    main()
