"""Deterministic, realistic demo users: Chinese and English names, handles, bios and cities.

The same seed and the same N always describe the same people, and the first N of a larger run are
the first N of a smaller one, so `agora seed --users 200` then `--users 1000` adds exactly 800.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from agora.accounts.models import User

DEMO_PASSWORD = "agora-demo"
DEMO_USERNAME = "demo"
EMAIL_DOMAIN = "demo.agora.example"
# Handles other parts of the site claim (see agora.accounts.actions.RESERVED_HANDLES).
RESERVED = {
    "admin",
    "api",
    "oauth",
    "settings",
    "shop",
    "tags",
    "static",
    "media",
    "agora",
    "root",
    DEMO_USERNAME,
}

# (hanzi, pinyin): common surnames and given names, so handles read like real ones (wangfang, li_na88).
SURNAMES = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"),
    ("罗", "luo"), ("高", "gao"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
    ("唐", "tang"), ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
    ("欧阳", "ouyang"), ("司马", "sima"),
]  # fmt: skip
GIVEN_NAMES = [
    ("芳", "fang"), ("娜", "na"), ("伟", "wei"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
    ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀英", "xiuying"),
    ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("桂英", "guiying"), ("子涵", "zihan"),
    ("欣怡", "xinyi"), ("浩然", "haoran"), ("梓萱", "zixuan"), ("宇轩", "yuxuan"), ("思远", "siyuan"),
    ("晓东", "xiaodong"), ("雨桐", "yutong"), ("一鸣", "yiming"), ("佳琪", "jiaqi"), ("建国", "jianguo"),
    ("海燕", "haiyan"), ("文博", "wenbo"), ("嘉怡", "jiayi"),
]  # fmt: skip
FIRST_NAMES = [
    "Alice", "Ben", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Henry", "Isla", "Jack", "Kate",
    "Leo", "Maya", "Noah", "Olivia", "Priya", "Quinn", "Rosa", "Sam", "Tom", "Uma", "Victor",
    "Wendy", "Yusuf", "Zoe", "Amir", "Sofia", "Lucas", "Hana", "Mateo", "Ingrid", "Kenji",
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Jones", "Brown", "Taylor", "Wilson", "Garcia", "Müller", "Rossi", "Nguyen", "Kim",
    "Tanaka", "Silva", "Dubois", "Novak", "Khan", "Chen", "Lee", "Walker", "Hughes", "Okafor",
    "Larsen", "Costa", "Ali", "Park",
]  # fmt: skip
CHINESE_CITIES = [
    "北京", "上海", "广州", "深圳", "杭州", "成都", "重庆", "武汉", "西安", "南京", "苏州", "长沙",
    "厦门", "青岛", "昆明", "大理", "哈尔滨", "台北", "香港",
]  # fmt: skip
WORLD_CITIES = [
    "London", "New York", "Singapore", "Tokyo", "Berlin", "Paris", "Sydney", "Toronto", "Seoul",
    "San Francisco", "Amsterdam", "Lagos", "São Paulo", "Mumbai", "Vancouver", "Kuala Lumpur",
]  # fmt: skip
CHINESE_BIOS = [
    "喜欢摄影和旅行，偶尔写点东西。", "{city}人，开了一家小店，欢迎来逛。", "咖啡续命中 ☕", "正在学做饭，失败居多。",
    "猫奴一枚 🐱", "跑步、读书、早睡。", "做手工饰品，每件都不一样。", "关注数码和好物分享。",
    "在{city}工作，周末爬山。", "吃货，探店达人。", "茶农的女儿，卖自家的明前龙井。", "",
]  # fmt: skip
ENGLISH_BIOS = [
    "Coffee, code and cats.", "Based in {city}. I post photos of food I did not cook.",
    "Small-batch ceramics. Shop link below.", "Runner, reader, occasional baker.",
    "Learning Mandarin one post at a time. 你好!", "Vintage finds and the stories behind them.",
    "Product designer in {city}.", "Tea enthusiast 🍵", "",
]  # fmt: skip


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    bio: str
    location: str
    locale: str
    date_joined: datetime
    last_active_at: datetime


def demo_people(count: int, *, seed: int, now: datetime | None = None) -> Iterator[DemoUser]:
    """The first `count` demo users for `seed`; each consumes the random stream the same way."""
    rng = random.Random(seed)
    now = now or datetime(2026, 11, 1, tzinfo=UTC)
    taken: set[str] = set(RESERVED)
    for _ in range(count):
        if rng.random() < 0.7:
            surname, surname_py = rng.choice(SURNAMES)
            given, given_py = rng.choice(GIVEN_NAMES)
            display, base, locale = surname + given, surname_py + rng.choice(["", "_"]) + given_py, "zh-hans"
            city = rng.choice(CHINESE_CITIES) if rng.random() < 0.85 else rng.choice(WORLD_CITIES)
            bio = rng.choice(CHINESE_BIOS)
        else:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            display, locale = f"{first} {last}", "en"
            ascii_last = last.replace("ü", "u")
            base = rng.choice(
                [f"{first}{ascii_last}", f"{first}_{ascii_last}", f"{first[0]}{ascii_last}"]
            ).lower()
            city = rng.choice(WORLD_CITIES) if rng.random() < 0.8 else rng.choice(CHINESE_CITIES)
            bio = rng.choice(ENGLISH_BIOS)
        suffix = str(rng.randint(1, 99)) if rng.random() < 0.3 else ""
        joined = now - timedelta(days=rng.uniform(1, 720))
        active = joined + (now - joined) * rng.random()
        username = _unique(base[:26] + suffix, taken)
        yield DemoUser(
            username=username,
            display_name=display,
            bio=bio.format(city=city),
            location=city,
            locale=locale,
            date_joined=joined,
            last_active_at=active,
        )


def _unique(handle: str, taken: set[str]) -> str:
    candidate, n = handle, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{handle[:27]}{n}"
    taken.add(candidate.lower())
    return candidate


def existing_handles(handles: list[str], chunk: int = 500) -> set[str]:
    """Which of these (lower-case) handles are taken, in any case."""
    found: set[str] = set()
    for start in range(0, len(handles), chunk):
        rows = (
            User.objects.annotate(handle_ci=Lower("username"))
            .filter(handle_ci__in=handles[start : start + chunk])
            .values_list("handle_ci", flat=True)
        )
        found.update(rows)
    return found


def seed_users(
    count: int, *, seed: int, progress: Callable[..., Iterable[Any]], batch_size: int = 1000
) -> tuple[int, int]:
    """Create the demo user and the first `count` demo people that are missing.

    Returns (created, already there). One argon2 hash serves every demo account: hashing is slow on
    purpose and would otherwise dominate (10,000 hashes take minutes).
    """
    password = make_password(DEMO_PASSWORD)
    created = 0
    if not User.objects.filter(username__iexact=DEMO_USERNAME).exists():
        User.objects.create(
            username=DEMO_USERNAME, password=password, display_name="Demo 演示", email=f"demo@{EMAIL_DOMAIN}",
            bio="The demo account: log in with demo / agora-demo. 演示账号。", location="杭州",
            email_confirmed=True, last_active_at=timezone.now(),
        )  # fmt: skip
        created += 1
    people = list(demo_people(count, seed=seed))
    existing = existing_handles([p.username.lower() for p in people])
    missing = [p for p in people if p.username.lower() not in existing]
    for start in progress(range(0, len(missing), batch_size), desc="users", unit="batch"):
        batch = [
            User(
                username=p.username, password=password, display_name=p.display_name, bio=p.bio,
                location=p.location, locale=p.locale, email=f"{p.username.lower()}@{EMAIL_DOMAIN}",
                email_confirmed=True, date_joined=p.date_joined, last_active_at=p.last_active_at,
            )
            for p in missing[start : start + batch_size]
        ]  # fmt: skip
        with transaction.atomic():
            User.objects.bulk_create(batch)
        created += len(batch)
    return created, len(people) - len(missing)
