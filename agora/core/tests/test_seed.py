"""`agora seed`: deterministic, realistic, idempotent demo users, and the per-app seed hook."""

from __future__ import annotations

import random
import sys
import types
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from agora.accounts.models import User
from agora.core.management.commands.seed import discover_seeders
from agora.core.management.demo_users import DEMO_PASSWORD, EMAIL_DOMAIN, demo_people

pytestmark = pytest.mark.django_db


def seed(*args: str, only: tuple[str, ...] = ("accounts",)) -> str:
    """Run the command; by default only the users, so other apps' seeds do not slow these tests."""
    out = StringIO()
    call_command("seed", "--no-progress", *args, *(("--only", *only) if only else ()), stdout=out)
    return out.getvalue()


def demo_handles() -> list[str]:
    return sorted(User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values_list("username", flat=True))


def test_seed_makes_the_demo_login_and_n_people():
    # when seeding 30 users
    seed("--users", "30")
    # then there are 30 people plus "demo", who can log in with the documented password
    assert len(demo_handles()) == 31
    assert authenticate(username="demo", password=DEMO_PASSWORD) is not None
    assert authenticate(username=demo_handles()[0], password=DEMO_PASSWORD) is not None


def test_seeding_again_adds_nothing_and_a_larger_n_adds_only_the_rest():
    seed("--users", "20")
    first = demo_handles()
    out = seed("--users", "20")
    assert demo_handles() == first
    assert "0 users created, 20 already there" in out
    seed("--users", "25")
    assert len(demo_handles()) == 26 and set(first) < set(demo_handles())


def test_same_seed_same_people_other_seed_other_people():
    a = list(demo_people(200, seed=1))
    assert a == list(demo_people(200, seed=1))
    assert a[:50] == list(demo_people(50, seed=1))  # a prefix of a larger run
    assert [p.username for p in a] != [p.username for p in demo_people(200, seed=2)]


def test_people_are_realistic_and_handles_valid_and_unique():
    people = list(demo_people(2000, seed=7))
    handles = [p.username.lower() for p in people]
    assert len(set(handles)) == len(handles)
    assert all(
        p.username.replace("_", "").isalnum() and p.username.isascii() and len(p.username) <= 30
        for p in people
    )
    chinese = [p for p in people if p.locale == "zh-hans"]
    english = [p for p in people if p.locale == "en"]
    assert len(chinese) > len(english) > 0.15 * len(people)
    assert all("\u4e00" <= p.display_name[0] <= "\u9fff" for p in chinese)
    assert all(" " in p.display_name for p in english)
    assert all(p.location for p in people) and sum(bool(p.bio) for p in people) > 0.7 * len(people)
    assert all(p.date_joined <= p.last_active_at for p in people)


def test_a_taken_handle_is_left_to_its_owner(make_user):
    # given a real user holding a handle the demo data would use, in another case
    wanted = next(iter(demo_people(1, seed=2026))).username
    owner = make_user(wanted.upper())
    # when seeding
    seed("--users", "5")
    # then the real account is untouched and the seed did not fail
    owner.refresh_from_db()
    assert owner.email.endswith("@example.com")
    assert len(demo_handles()) == 5


def test_app_seed_modules_are_found_and_called_with_rng_progress_and_options(monkeypatch):
    # given an app that ships a seed module
    calls = []

    def app_seed(*, rng, progress, options):
        calls.append(
            (rng.random(), list(progress(range(3), desc="x")), options["users"], options["demo_username"])
        )

    module = types.ModuleType("agora.web.seed")
    module.seed = app_seed  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "agora.web.seed", module)
    assert ("web", app_seed) in discover_seeders()
    # when seeding twice with the same --seed
    seed("--users", "3", "--seed", "5", only=("accounts", "web"))
    seed("--users", "3", "--seed", "5", only=("accounts", "web"))
    # then the app was called each time with the same random stream, a progress wrapper and the options
    assert len(calls) == 2 and calls[0] == calls[1]
    assert calls[0][1:] == ([0, 1, 2], 3, "demo")
    assert calls[0][0] == random.Random("5:web").random()


def test_only_limits_which_seeds_run(monkeypatch):
    called = []
    module = types.ModuleType("agora.web.seed")
    module.seed = lambda **kw: called.append(True)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "agora.web.seed", module)
    seed(only=("web",))
    assert called and not User.objects.exists()


def test_every_apps_seed_runs_and_a_second_run_adds_nothing_anywhere():
    # given the full demo data (users, then every app's seed.py) at a small size
    from django.apps import apps

    seed("--users", "12", only=())
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    # when seeding again with the same numbers
    seed("--users", "12", only=())
    # then no table grew
    again = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    assert {k: (counts[k], again[k]) for k in counts if counts[k] != again[k]} == {}
    assert counts["accounts.User"] == 13


def test_seed_refuses_production_without_force(db, settings):
    from dataclasses import replace

    from django.core.management import CommandError, call_command

    settings.AGORA = replace(settings.AGORA, debug=False)
    with pytest.raises(CommandError, match="refusing to seed"):
        call_command("seed", users=1, no_progress=True, only=["accounts"])
