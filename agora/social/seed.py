"""Demo data for the public square: follows, posts in Chinese and English with topics, replies,
reposts and likes. Called by `agora seed` (see agora/core/management/commands/seed.py)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any

from agora.accounts.models import User
from agora.social.actions import do_create_status, do_favourite, do_follow, do_reblog
from agora.social.models import Status

POSTS = [
    "今天的 #双十一购物节# 战利品到了，快递小哥辛苦了！",
    "周末去西湖骑车，风景太美了 #travel",
    "新买的咖啡豆很香 #coffee 推荐给大家",
    "Reading Three-Body again. Still amazing. #读书#",
    "这家小店的手工包做得真好 #今日穿搭#",
    "Anyone tried the new noodle place near the station? #美食#",
    "Just shipped my shop's first order 🎉 #gadgets",
    "猫咪今天又把花盆打翻了 #猫#",
    "下班路上看到的晚霞 https://example.com/sunset",
    "Morning run done, 10 km #运动#",
]
REPLIES = ["哈哈哈同感", "Looks great!", "求链接", "Where did you buy it?", "太好看了", "+1"]


def seed(*, rng: random.Random, progress: Callable[..., Iterable[Any]], options: dict[str, Any]) -> None:
    demo = User.objects.filter(username__iexact=options["demo_username"]).first()
    people = list(User.objects.filter(email__endswith="@" + options["email_domain"]).order_by("id")[:200])
    if demo is None or len(people) < 3 or Status.objects.filter(author__in=people).exists():
        return  # already seeded (idempotent), or no demo users to post as
    others = [p for p in people if p.pk != demo.pk]
    for person in progress(others, desc="social: follows", unit="user"):
        for target in rng.sample(others, k=min(len(others) - 1, rng.randint(3, 15))):
            if target.pk != person.pk and not target.locked:
                do_follow(person, target)
    for target in others[:20]:
        if not target.locked:
            do_follow(demo, target)
    statuses: list[Status] = []
    for i in progress(range(min(400, 2 * len(people))), desc="social: posts", unit="post"):
        author = rng.choice(others)
        statuses.append(do_create_status(author, rng.choice(POSTS), language="zh" if i % 3 else "en"))
    for status in progress(statuses[: len(statuses) // 2], desc="social: replies and likes", unit="post"):
        replier = rng.choice(others)
        if replier.pk != status.author_id:
            do_create_status(replier, rng.choice(REPLIES), in_reply_to_id=status.id)
        for liker in rng.sample(others, k=min(len(others), rng.randint(0, 6))):
            do_favourite(liker, status)
        if rng.random() < 0.2:
            do_reblog(rng.choice(others), status)
    do_create_status(demo, "你好，广场！Hello from the demo account #双十一购物节#")
