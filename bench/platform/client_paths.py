"""Python CPU per call of the database and Redis client paths that every hot request takes.

    .venv/bin/python bench/platform/client_paths.py [--n 2000] [--rounds 3]

Needs PostgreSQL (database agora_bench_paths, made and dropped here) and Redis db 4 on loopback.
Alternates, round after round, and prints the best round of each:
  - one prepared SELECT through Django's cursor, and through agora/core/libpq.py;
  - one Lua script call through redis-py's Script, and through agora/core/luascript.py.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
DB = "agora_bench_paths"
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "agora.settings",
        "AGORA_DATABASE_URL": f"postgres://root@127.0.0.1:5432/{DB}",
        "AGORA_REDIS_URL": "redis://127.0.0.1:6379/4",
    }
)
SQL = "SELECT %s::bigint, %s::text, ARRAY(SELECT generate_series(1, 3)), now(), true"
LUA = (
    "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n"
)


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "root", "-d", "postgres", "-qc", sql], check=True)


def best_us(calls: dict[str, Callable[[], object]], n: int, rounds: int) -> dict[str, float]:
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(rounds):
        for name, call in calls.items():
            start = time.process_time()
            for _ in range(n):
                call()
            best[name] = min(best[name], (time.process_time() - start) / n * 1e6)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    opts = parser.parse_args()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    try:
        import django

        django.setup()
        import redis
        from django.db import connection

        from agora.core import libpq
        from agora.core.luascript import LuaScript
        from agora.core.sqlrows import Prepared

        statement = Prepared("agora_bench_paths", SQL)
        statement.fetch([1, "x"])  # prepared on this session

        def django_cursor() -> object:
            with connection.cursor() as cursor:
                cursor.execute(statement.execute_sql, [2**40, "token"])
                return cursor.fetchall()

        client = redis.Redis.from_url(os.environ["AGORA_REDIS_URL"])
        script, lean = client.register_script(LUA), LuaScript(LUA)
        results = best_us(
            {
                "PostgreSQL, Django's cursor": django_cursor,
                "PostgreSQL, agora.core.libpq": lambda: libpq.run(
                    [(statement.execute_sql, [2**40, "token"])]
                ),
                "Redis script, redis-py Script": lambda: script(keys=["bench:paths"], args=[60]),
                "Redis script, agora.core.luascript": lambda: lean(client, ["bench:paths"], [60]),
            },
            opts.n,
            opts.rounds,
        )
        client.delete("bench:paths")
        connection.close()
    finally:
        psql(f"DROP DATABASE IF EXISTS {DB}")
    for name, us in results.items():
        print(f"{name:36} {us:7.1f} us of CPU per call (best of {opts.rounds} x {opts.n})")


if __name__ == "__main__":
    main()
