"""Generate the square benchmark's social graph on the production profile (PostgreSQL + Redis).

Power-law followers (preferential attachment), three accounts with 110k followers, one with 10k and
one with 100 (the fan-out probes), Chinese and English posts with topics, tokens for readers, and
warm Redis home timelines for the readers and for the probes' followers.

The market too (issue 14): --shops shops of --products-per-shop products each (1 to 3 variants; a few
sold out, a few delisted), and --shoppable (30%) of the posts carry 1 to 9 of them, as posted through
the API (StatusProduct rows with the title and a picture path snapshotted), so the home read's pages
carry product cards as often as the square would.

    .venv/bin/python bench/square/generate.py [--users 120000] [--posts 200000]

The database, Redis and broker databases are bench/square/env.py's (AGORA_BENCH_* override them).
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
from bench.square.env import BENCH_DB, BENCH_ENV, setup  # noqa: E402

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
GOODS = [
    "无线耳机",
    "Wireless earbuds",
    "明前龙井",
    "Linen shirt",
    "机械键盘",
    "Ceramic mug",
    "羊绒围巾",
    "Trail shoes",
]


def _b(value: bool) -> str:
    return "t" if value else "f"


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
    parser.add_argument("--shops", type=int, default=500)
    parser.add_argument("--products-per-shop", type=int, default=20)
    parser.add_argument("--shoppable", type=float, default=0.3, help="share of posts carrying products")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "root", "--if-exists", BENCH_DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "root", BENCH_DB], check=True)
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

    redis.Redis.from_url(BENCH_ENV["AGORA_REDIS_URL"]).flushdb()
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
    products = market(raw, rng, ids, now, args)
    # posts: authors drawn by popularity too (popular accounts post more)
    authors = rng.choices(population, cum_weights=cum, k=args.posts)
    carried: list[tuple[int, list[tuple[int, str]]]] = []  # (status id, its products)
    start_ms = time.time() - 14 * 86400

    def posts():
        from agora.core.ids import id_at

        stamps = sorted(start_ms + rng.random() * 14 * 86400 for _ in range(args.posts))
        for seq, (a, ts) in enumerate(zip(tqdm(authors, desc="posts"), stamps, strict=True)):
            text = rng.choice(ZH if rng.random() < 0.6 else EN) + " " + rng.choice(TOPICS)
            sid = id_at(ts) + (seq & 0x3FFFFF)
            created = datetime.fromtimestamp(ts, tz=UTC).isoformat()
            shoppable = rng.random() < args.shoppable
            if shoppable:
                carried.append((sid, rng.sample(products, rng.randint(1, min(9, len(products))))))
            yield (
                sid,
                ids[a],
                text,
                render(text),
                "public",
                "",
                "f",
                "",
                0,
                0,
                0,
                0,
                "f",
                _b(shoppable),
                "f",
                created,
            )

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
            "has_products",
            "pinned",
            "created_at",
        ],
        posts(),
    )
    copy_rows(
        raw,
        "social_statusproduct",
        [
            "status_id",
            "product_id",
            "position",
            "from_link",
            "title",
            "image_path",
            "image_width",
            "image_height",
        ],
        (
            (sid, pid, pos, "f", title, f"/media/bench/product-{pid}.jpg", 400, 400)
            for sid, chosen in tqdm(carried, desc="shoppable posts")
            for pos, (pid, title) in enumerate(chosen)
        ),
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
                "products": len(products),
                "shoppable_posts": len(carried),
            }
        )
    )
    print(
        f"generated in {time.perf_counter() - t0:.0f} s: {n:,} users, {len(follows):,} follows, "
        f"{args.posts:,} posts ({len(carried):,} carrying products), {len(products):,} products -> {OUT}"
    )


def market(raw, rng: random.Random, ids: list[int], now, args) -> list[tuple[int, str]]:
    """Shops (owned by the accounts after the probes) with products and variants, by COPY; returns the
    listed products as (id, title), which posts may carry. 5% of products are sold out, 1% delisted."""
    from agora.core.ids import new_id

    stamp = now.isoformat()
    owners = ids[5 : 5 + args.shops]
    shops = [(new_id(), owner) for owner in owners]
    copy_rows(
        raw,
        "shops_shop",
        [
            "id",
            "owner_id",
            "name",
            "description",
            "currency",
            "shipping_fee",
            "return_policy",
            "rating_count",
            "rating_total",
            "created_at",
        ],
        (
            (sid, owner, f"店铺 Shop {i}", "", "CNY", "8.00", "", 0, 0, stamp)
            for i, (sid, owner) in enumerate(shops)
        ),
    )
    product_rows, variant_rows, listed = [], [], []
    for sid, _owner in shops:
        for _ in range(args.products_per_shop):
            pid = new_id()
            title = f"{rng.choice(GOODS)} {rng.randint(1, 999)}"
            prices = [f"{rng.randint(9, 2999)}.{rng.randint(0, 99):02d}" for _ in range(rng.randint(1, 3))]
            sold_out, delisted = rng.random() < 0.05, rng.random() < 0.01
            count = rng.randint(0, 200)
            product_rows.append(
                (pid, sid, title, "", "[]", "CNY", _b(not delisted), min(prices, key=float),
                 rng.randint(0, 5000), count, count * rng.randint(3, 5), stamp, stamp)
            )  # fmt: skip
            for k, price in enumerate(prices):
                stock = 0 if sold_out else rng.randint(1, 500)
                variant_rows.append((new_id(), pid, f"SKU-{k}", "{}", price, stock, "t"))
            if not delisted:
                listed.append((pid, title))
    copy_rows(
        raw,
        "catalog_product",
        [
            "id",
            "shop_id",
            "title",
            "description",
            "image_ids",
            "currency",
            "is_listed",
            "min_price",
            "sales_count",
            "rating_count",
            "rating_total",
            "created_at",
            "updated_at",
        ],
        product_rows,
    )
    copy_rows(
        raw,
        "catalog_variant",
        ["id", "product_id", "sku", "options", "price", "stock", "is_active"],
        variant_rows,
    )
    print(f"{len(shops):,} shops, {len(product_rows):,} products", flush=True)
    return listed


if __name__ == "__main__":
    main()
