"""The production profile the square benchmark runs on: PostgreSQL database agora_bench, Redis db 2
(broker db 3). AGORA_BENCH_DATABASE, AGORA_BENCH_REDIS_DB and AGORA_BENCH_BROKER_DB choose others, for a
small smoke run beside someone else's benchmark data."""

from __future__ import annotations

import os

BENCH_DB = os.environ.get("AGORA_BENCH_DATABASE", "agora_bench")
BENCH_ENV = {
    "AGORA_DATABASE_URL": f"postgres://root@127.0.0.1:5432/{BENCH_DB}",
    "AGORA_REDIS_URL": f"redis://127.0.0.1:6379/{os.environ.get('AGORA_BENCH_REDIS_DB', '2')}",
    "AGORA_BROKER_URL": f"redis://127.0.0.1:6379/{os.environ.get('AGORA_BENCH_BROKER_DB', '3')}",
    "AGORA_DEBUG": "0",
    "AGORA_SECRET_KEY": "bench-secret-key-not-for-production-0123456789abcdefghijklmnop",
    # The load generator sends tens of thousands of requests from one IP: lift the API rate limits.
    "AGORA_RATE_LIMIT_PER_TOKEN": "1000000000",
    "AGORA_RATE_LIMIT_PER_IP": "1000000000",
    "DJANGO_SETTINGS_MODULE": "agora.settings",
}


def setup() -> None:
    os.environ.update(BENCH_ENV)
    import django

    django.setup()
