"""The production profile the square benchmark runs on: PostgreSQL database agora_bench, Redis db 2."""

from __future__ import annotations

import os

BENCH_ENV = {
    "AGORA_DATABASE_URL": "postgres://root@127.0.0.1:5432/agora_bench",
    "AGORA_REDIS_URL": "redis://127.0.0.1:6379/2",
    "AGORA_BROKER_URL": "redis://127.0.0.1:6379/3",
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
