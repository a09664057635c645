"""`agora seed`: demo data. Users here; every other app adds its own through `agora/<app>/seed.py`.

An app's seed module exposes

    def seed(*, rng: random.Random, progress: Progress, options: dict[str, Any]) -> None

and is called in INSTALLED_APPS order, after the demo users exist, inside no transaction. It must be
idempotent (running `agora seed` twice adds nothing the second time) and deterministic for a given
`rng`. `rng` is seeded from --seed and the app label, so one app's changes do not reshuffle another's
data. `progress(iterable, total=None, desc="", unit="it")` wraps an iterable in a progress bar.
`options` holds "users" (the --users count), "seed", "demo_username", "demo_password", "email_domain"
(demo accounts' emails end with "@" + this) and "only" (the app labels asked for, or None for all).
"""

from __future__ import annotations

import importlib
import random
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from agora.core.management.demo_users import DEMO_PASSWORD, DEMO_USERNAME, EMAIL_DOMAIN, seed_users

Progress = Callable[..., Iterable[Any]]
Seeder = Callable[..., None]


def discover_seeders() -> list[tuple[str, Seeder]]:
    """(app label, seed function) for each Agora app with a seed module, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("agora."):
            continue
        module_name = f"{config.name}.seed"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:  # the module exists but is broken: say so
                raise
            continue
        seeder = getattr(module, "seed", None)
        if callable(seeder):
            found.append((config.label, seeder))
    return found


def app_rng(seed: int, label: str) -> random.Random:
    return random.Random(f"{seed}:{label}")


class Command(BaseCommand):
    help = "Load deterministic demo data (users, then each app's seed.py). Running it again adds nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=200, help="demo users besides 'demo' (default 200)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument("--only", nargs="*", metavar="APP", help="run only these apps' seeds (labels)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")
        parser.add_argument(
            "--force",
            action="store_true",
            help="seed even with AGORA_DEBUG=0 (demo accounts share a public password)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.AGORA.debug and not options["force"]:
            raise CommandError(
                "AGORA_DEBUG=0: refusing to seed demo data, whose accounts all log in with the public "
                f"password {DEMO_PASSWORD!r}. Use --force on a staging site."
            )
        show = not options["no_progress"] and sys.stderr.isatty()

        def progress(iterable: Iterable[Any], **kwargs: Any) -> Iterable[Any]:
            return tqdm(iterable, disable=not show, leave=False, **kwargs)

        seed_options = {
            "users": options["users"],
            "seed": options["seed"],
            "demo_username": DEMO_USERNAME,
            "demo_password": DEMO_PASSWORD,
            "email_domain": EMAIL_DOMAIN,
            "only": options["only"],
        }
        only = set(options["only"] or [])
        if not only or "accounts" in only:
            started = time.perf_counter()
            created, present = seed_users(options["users"], seed=options["seed"], progress=progress)
            self.stdout.write(
                f"accounts: {created} users created, {present} already there "
                f"({time.perf_counter() - started:.2f} s)"
            )
        for label, seeder in discover_seeders():
            if only and label not in only:
                continue
            started = time.perf_counter()
            seeder(rng=app_rng(options["seed"], label), progress=progress, options=seed_options)
            self.stdout.write(f"{label}: done ({time.perf_counter() - started:.2f} s)")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Log in as {DEMO_USERNAME} / {DEMO_PASSWORD}.")
        )
