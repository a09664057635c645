"""The `agora` command: serve builds the granian command, everything else passes through to manage.py."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from agora import cli
from agora.config import BASE_DIR, AgoraConfig


def run_agora(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AGORA_")}
    return subprocess.run(
        [sys.executable, "-m", "agora.cli", *args], cwd=BASE_DIR, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_serve_runs_granian_wsgi_with_static_and_media_routes():
    config = AgoraConfig.from_env({"AGORA_STATIC_ROOT": "/srv/static", "AGORA_MEDIA_ROOT": "/srv/media"})
    command = cli.granian_command(config, host="0.0.0.0", port=9000, workers=3)
    joined = " ".join(command)
    assert "--interface wsgi" in joined and "--workers 3" in joined and "--port 9000" in joined
    assert "--static-path-route /static --static-path-mount /srv/static" in joined
    assert "--static-path-route /media --static-path-mount /srv/media" in joined
    assert command[-1] == "agora.wsgi:application"


def test_serve_leaves_remote_media_to_its_host():
    config = AgoraConfig.from_env({"AGORA_MEDIA_URL": "https://cdn.example/media/"})
    assert "/media" not in " ".join(cli.granian_command(config, host="h", port=1, workers=1))


def test_serve_takes_port_and_workers_from_flags_or_the_environment(tmp_path):
    env = {"AGORA_STATIC_ROOT": str(tmp_path / "s"), "AGORA_MEDIA_ROOT": str(tmp_path / "m")}
    result = run_agora("serve", "--dry-run", "--port", "8123", **env, AGORA_WEB_WORKERS="4")
    assert result.returncode == 0, result.stderr
    assert "--port 8123" in result.stdout and "--workers 4" in result.stdout
    result = run_agora("serve", "--dry-run", **env, PORT="8765")
    assert "--port 8765" in result.stdout and "--workers 2" in result.stdout


def test_serve_refuses_production_with_the_default_secret_in_one_line():
    result = run_agora("serve", "--dry-run", AGORA_DEBUG="0")
    assert result.returncode == 2
    assert (
        result.stderr.startswith("agora: AGORA_DEBUG=0 but AGORA_SECRET_KEY")
        and "Traceback" not in result.stderr
    )


def test_manage_commands_pass_through(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    result = run_agora("migrate", "--plan", AGORA_DATABASE_URL=db)
    assert result.returncode == 0, result.stderr
    assert "accounts" in result.stdout
    result = run_agora("help", "seed")
    assert result.returncode == 0 and "--users" in result.stdout


def test_unknown_command_fails_with_djangos_message():
    result = run_agora("no-such-command")
    assert result.returncode == 1 and "Unknown command" in result.stderr


def test_config_lists_values_and_hides_secrets():
    result = run_agora("config", AGORA_EMAIL_PORT="2525", AGORA_SECRET_KEY="hunter2hunter2")
    assert "AGORA_EMAIL_PORT=2525" in result.stdout
    assert "AGORA_SECRET_KEY=(set)" in result.stdout and "hunter2" not in result.stdout


def test_config_hides_passwords_in_urls():
    result = run_agora(
        "config", AGORA_REDIS_URL="redis://:s3cret@cache:6379/0", AGORA_BROKER_URL="amqp://agora:pw@mq:5672//"
    )
    assert "AGORA_REDIS_URL=redis://:***@cache:6379/0" in result.stdout
    assert "AGORA_BROKER_URL=amqp://agora:***@mq:5672//" in result.stdout
    assert "s3cret" not in result.stdout and ":pw@" not in result.stdout


@pytest.mark.django_db
def test_main_runs_manage_commands_in_process(capsys, monkeypatch):
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    assert cli.main(["seed", "--users", "2", "--no-progress"]) == 0
    assert "Demo data ready" in capsys.readouterr().out


@pytest.mark.django_db
def test_token_create_and_revoke_pass_through_to_the_platform_command(make_user, capsys, monkeypatch):
    # manage.py commands close every connection when they finish; on PostgreSQL that would close the
    # test's transaction under it (SQLite's in-memory test database ignores it)
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    # given a user; when a token is created through the CLI
    make_user("carol")
    assert cli.main(["token", "create", "carol", "--scopes", "read write:orders"]) == 0
    raw = capsys.readouterr().out.strip()
    # then it authenticates API calls with those scopes, until it is revoked
    from agora.platform.selectors import checksum_of, find_token

    found = find_token(checksum_of(raw))
    assert found is not None and found.user.username == "carol" and found.scope == "read write:orders"
    assert cli.main(["token", "revoke", raw]) == 0
    assert find_token(checksum_of(raw)) is None
    assert cli.main(["token", "create", "nobody"]) == 1
    assert "No active user @nobody" in capsys.readouterr().err


def test_site_url_follows_the_served_address_unless_set():
    # given no AGORA_SITE_URL, the site's links point where `agora serve` listens
    assert AgoraConfig.from_env({}).site_url == "http://127.0.0.1:8000"
    assert AgoraConfig.from_env({"AGORA_WEB_PORT": "8801"}).site_url == "http://127.0.0.1:8801"
    assert AgoraConfig.from_env({"AGORA_WEB_HOST": "0.0.0.0", "AGORA_WEB_PORT": "9"}).site_url == (
        "http://127.0.0.1:9"
    )
    assert AgoraConfig.from_env({"AGORA_WEB_HOST": "::1", "AGORA_WEB_PORT": "9"}).site_url == "http://[::1]:9"
    # while an explicit one wins
    explicit = {"AGORA_SITE_URL": "https://agora.example", "AGORA_WEB_PORT": "8801"}
    assert AgoraConfig.from_env(explicit).site_url == "https://agora.example"


def test_serve_hands_its_port_to_the_workers_settings(monkeypatch, tmp_path):
    # given `PORT=8801 make run`, i.e. `agora serve --port 8801` with $PORT set, and no AGORA_SITE_URL
    for name in ("AGORA_WEB_PORT", "AGORA_WEB_HOST", "AGORA_SITE_URL", "PORT"):
        monkeypatch.setenv(name, "")  # restored after the test, whatever serve sets
    monkeypatch.setenv("PORT", "8801")
    monkeypatch.setenv("AGORA_STATIC_ROOT", str(tmp_path / "s"))
    monkeypatch.setenv("AGORA_MEDIA_ROOT", str(tmp_path / "m"))
    started: dict[str, str] = {}
    monkeypatch.setattr(os, "execv", lambda *_args: started.update(os.environ))
    # when serve starts granian
    cli.serve([])
    # then the workers' settings put the served port in every absolute URL
    assert AgoraConfig.from_env(started).site_url == "http://127.0.0.1:8801"


def test_settings_take_the_site_url_and_csrf_origin_from_the_port():
    code = "from django.conf import settings as s; print(s.AGORA.site_url, s.CSRF_TRUSTED_ORIGINS[0])"
    result = run_agora("shell", "-v", "0", "-c", code, AGORA_WEB_PORT="8801")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:8801", "http://127.0.0.1:8801"]
