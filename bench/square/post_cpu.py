"""CPU per post in-process: POST /api/v1/statuses through Django's WSGI handler, with a broker set and
no worker (so a post's cost is its transaction and its task publish, as on a web server), for
authors with a few followers. Compare two versions by running this on each, alternately.

    AGORA_DATABASE_URL=postgres://root@127.0.0.1:5432/<db> AGORA_REDIS_URL=redis://127.0.0.1:6379/<n> \\
    AGORA_BROKER_URL=redis://127.0.0.1:6379/<m> .venv/bin/python bench/square/post_cpu.py [--posts 200]

The database's tables are emptied of this script's users first; the broker's Redis database is
emptied after (the tasks are never run).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    opts = parser.parse_args()
    for name in ("AGORA_DATABASE_URL", "AGORA_REDIS_URL", "AGORA_BROKER_URL"):
        if not os.environ.get(name):
            sys.exit(f"set {name} (a database and Redis databases of your own)")
    os.environ.update(
        AGORA_DEBUG="0",
        AGORA_SECRET_KEY="post-cpu-bench-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        AGORA_RATE_LIMIT_PER_TOKEN="1000000000",
        AGORA_RATE_LIMIT_PER_IP="1000000000",
        DJANGO_SETTINGS_MODULE="agora.settings",
    )
    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    from agora.accounts.models import User
    from agora.social.models import Follow

    call_command("migrate", verbosity=0)
    User.objects.filter(username__startswith="postcpu_").delete()
    app, _ = Application.objects.get_or_create(
        name="post cpu bench",
        defaults={
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
        },
    )
    now = timezone.now()
    authors = [
        User.objects.create(username=f"postcpu_a{i}", password="!", last_active_at=now) for i in range(20)
    ]
    readers = [
        User.objects.create(username=f"postcpu_r{i}", password="!", last_active_at=now) for i in range(5)
    ]
    Follow.objects.bulk_create([Follow(follower=r, followee=a) for a in authors for r in readers])
    tokens = []
    for a in authors:
        raw = f"postcpu-{a.id}-{time.time_ns()}"
        AccessToken.objects.create(
            user=a, application=app, token=raw, scope="read write", expires=now + timedelta(hours=2)
        )
        tokens.append(raw)
    client = Client(HTTP_HOST="127.0.0.1")

    def post(token: str, n: int) -> None:
        res = client.post(
            "/api/v1/statuses",
            json.dumps({"status": f"post cpu probe {n}"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert res.status_code == 200, res.content

    for n, t in enumerate(tokens):  # warm: imports, caches, prepared statements
        post(t, n)
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for n in range(opts.posts):
            post(tokens[n % len(tokens)], n)
        best = min(best, (time.process_time() - start) / opts.posts * 1000)
    print(f"POST /api/v1/statuses        {best:6.3f} ms CPU per request (best of 3 x {opts.posts})")
    redis.Redis.from_url(os.environ["AGORA_BROKER_URL"]).flushdb()


if __name__ == "__main__":
    main()
