"""Generate the square benchmark's social graph on the production profile (PostgreSQL + Redis).

Power-law followers (preferential attachment), three accounts with 110k followers, one with 10k and
one with 100 (the fan-out probes), Chinese and English posts with topics, tokens for readers, and
warm Redis home timelines for the readers and for the probes' followers.

    .venv/bin/python bench/square/generate.py [--users 120000] [--posts 200000]
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.square.env import setup  # noqa: E402

OUT = Path("/tmp/agora-bench-square.json")
ZH = [
    "今天天气真好",
    "刚买的耳机音质不错",
    "双十一你买了什么",
    "这家店的包子太好吃了",
    "周末去西湖走走",
    "新手机到了，拍照很清楚",
    "推荐一本好书",
    "加班到深夜",
    "猫咪又在捣乱",
    "地铁上人好多",
]
EN = [
    "Great coffee this morning",
    "Just shipped a new feature",
    "Who else is watching the match?",
    "This jacket was a steal",
    "Reading a good book tonight",
    "Rainy day in Hangzhou",
    "Trying the new noodle place",
    "Weekend hike photos soon",
]
TOPICS = ["#双十一购物节#", "#今日穿搭#", "#美食#", "#travel", "#coffee", "#读书#", "#gadgets", "#猫#"]


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    buf = io.StringIO()
    for row in rows:
        buf.write(
            "\t".join(
                "\\N" if v is None else str(v).replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")
                for v in row
            )
            + "\n"
        )
    buf.seek(0)
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        while chunk := buf.read(1 << 20):
            cp.write(chunk)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=120_000)
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--readers", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "root", "--if-exists", "agora_bench"], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "root", "agora_bench"], check=True)
    setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application
    from tqdm import tqdm

    from agora.accounts.models import User
    from agora.core.ids import new_id
    from agora.feeds.fanout import rebuild_home
    from agora.feeds.store import get_store
    from agora.social.models import Follow
    from agora.social.rendering import render

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    import redis

    redis.Redis.from_url("redis://127.0.0.1:6379/2").flushdb()
    now = timezone.now()
    pw = make_password("bench-password")
    n = args.users
    ids = [new_id() for _ in range(n)]
    connection.ensure_connection()
    if True:
        raw = connection.connection.cursor()
        cols = [
            "id",
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "display_name",
            "bio",
            "location",
            "website",
            "avatar",
            "header",
            "verified",
            "locked",
            "email_confirmed",
            "locale",
            "last_active_at",
            "followers_count",
            "following_count",
            "statuses_count",
        ]

        def users():
            for i, uid in enumerate(tqdm(ids, desc="users", unit="u")):
                # 90% were active this month; the rest are skipped by fan-out and rebuilt on return
                active = now - timedelta(
                    days=rng.random() * 20 if rng.random() < 0.9 else 40 + rng.random() * 100
                )
                yield (
                    uid,
                    pw,
                    "f",
                    f"u{i}",
                    "",
                    "",
                    f"u{i}@bench.invalid",
                    "f",
                    "t",
                    now.isoformat(),
                    f"用户{i}" if i % 2 else f"User {i}",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "f",
                    "f",
                    "t",
                    "",
                    active.isoformat(),
                    0,
                    0,
                    0,
                )

        copy_rows(raw, "accounts_user", cols, users())
    stars, mid, small = ids[:3], ids[3], ids[4]
    # preferential attachment: popularity ~ Pareto, so a few accounts gather most followers
    weights = [rng.paretovariate(1.2) for _ in range(n)]
    for i in range(5):
        weights[i] = 0.0  # the probes get exactly their planned followers below
    follows: set[tuple[int, int]] = set()
    population = list(range(5, n))
    w = weights[5:]
    cum = list(itertools.accumulate(w))  # once: choices(weights=) would rebuild it on every call
    for i in tqdm(range(n), desc="follow graph", unit="u"):
        k = min(int(rng.paretovariate(1.5) * 6), 400)
        for j in rng.choices(population, cum_weights=cum, k=k):
            if j != i:
                follows.add((i, j))
    for star in range(3):
        for i in range(5, min(n, 110_005)):
            follows.add((i, star))
    for i in rng.sample(range(5, n), min(10_000, n - 5)):
        follows.add((i, 3))
    for i in rng.sample(range(5, n), 100):
        follows.add((i, 4))
    print(f"{len(follows):,} follows", flush=True)
    raw = connection.connection.cursor()
    copy_rows(
        raw,
        "social_follow",
        ["follower_id", "followee_id", "show_reblogs", "notify", "created_at"],
        ((ids[a], ids[b], "t", "f", now.isoformat()) for a, b in tqdm(follows, desc="copy follows")),
    )
    # posts: authors drawn by popularity too (popular accounts post more)
    authors = rng.choices(population, cum_weights=cum, k=args.posts)
    start_ms = time.time() - 14 * 86400

    def posts():
        from agora.core.ids import id_at

        stamps = sorted(start_ms + rng.random() * 14 * 86400 for _ in range(args.posts))
        for seq, (a, ts) in enumerate(zip(tqdm(authors, desc="posts"), stamps, strict=True)):
            text = rng.choice(ZH if rng.random() < 0.6 else EN) + " " + rng.choice(TOPICS)
            sid = id_at(ts) + (seq & 0x3FFFFF)
            created = datetime.fromtimestamp(ts, tz=UTC).isoformat()
            yield (sid, ids[a], text, render(text), "public", "", "f", "", 0, 0, 0, 0, "f", "f", created)

    copy_rows(
        raw,
        "social_status",
        [
            "id",
            "author_id",
            "text",
            "content_html",
            "visibility",
            "spoiler_text",
            "sensitive",
            "language",
            "replies_count",
            "reblogs_count",
            "favourites_count",
            "quotes_count",
            "has_media",
            "pinned",
            "created_at",
        ],
        posts(),
    )
    raw.execute("""UPDATE accounts_user u SET followers_count = c.n FROM
                   (SELECT followee_id, count(*) n FROM social_follow GROUP BY followee_id) c WHERE u.id = c.followee_id""")
    raw.execute("""UPDATE accounts_user u SET following_count = c.n FROM
                   (SELECT follower_id, count(*) n FROM social_follow GROUP BY follower_id) c WHERE u.id = c.follower_id""")
    raw.execute("""UPDATE accounts_user u SET statuses_count = c.n FROM
                   (SELECT author_id, count(*) n FROM social_status GROUP BY author_id) c WHERE u.id = c.author_id""")
    raw.execute("ANALYZE")
    connection.connection.commit()
    # readers: ordinary active accounts that follow at least a few people
    readers = list(
        User.objects.filter(following_count__gte=5, last_active_at__gte=now - timedelta(days=25))
        .exclude(id__in=ids[:5])
        .order_by("id")
        .values_list("id", flat=True)[: args.readers]
    )
    app = Application.objects.create(
        name="bench", client_type="confidential", authorization_grant_type="password"
    )
    tokens = {}
    for uid in [*readers, *ids[:5]]:
        raw_token = f"bench-{uid}"
        AccessToken.objects.create(
            user_id=uid,
            application=app,
            token=raw_token,
            scope="read write follow",
            expires=now + timedelta(days=30),
        )
        tokens[uid] = raw_token
    users_by_id = {u.id: u for u in User.objects.filter(id__in=readers)}
    for uid in tqdm(readers, desc="warm reader timelines"):
        rebuild_home(users_by_id[uid])
    store = get_store()
    for probe in (small, mid):
        fids = list(Follow.objects.filter(followee_id=probe).values_list("follower_id", flat=True))
        for fid in tqdm(fids, desc=f"warm followers of {probe}"):
            if not store.exists(fid):
                store.replace(fid, [])  # an existing (empty) stored timeline: pushes land in it
    OUT.write_text(
        json.dumps(
            {
                "readers": [tokens[r] for r in readers],
                "probes": {
                    "100": [small, tokens[small]],
                    "10k": [mid, tokens[mid]],
                    "100k": [stars[0], tokens[stars[0]]],
                },
                "star_follower_tokens": [tokens[r] for r in readers[:5]],
                "users": n,
                "follows": len(follows),
                "posts": args.posts,
            }
        )
    )
    print(
        f"generated in {time.perf_counter() - t0:.0f} s: {n:,} users, {len(follows):,} follows, "
        f"{args.posts:,} posts -> {OUT}"
    )


if __name__ == "__main__":
    main()
