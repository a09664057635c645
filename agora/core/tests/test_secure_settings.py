"""TLS settings for a production https site (O3) and the refusal to expose a debug site (O1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from agora.config import BASE_DIR, HSTS_DEFAULT_SECONDS, AgoraConfig, ConfigError, is_local_host

SECRET = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"
PRODUCTION = {
    "AGORA_DEBUG": "0",
    "AGORA_SECRET_KEY": SECRET,
    "AGORA_SITE_URL": "https://agora.example.com",
    "AGORA_ALLOWED_HOSTS": "agora.example.com",
}
BEHIND_PROXY = {**PRODUCTION, "AGORA_TRUST_X_FORWARDED_PROTO": "1"}


def _run(code_or_args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # without the test run's AGORA_* and DJANGO_ALLOW_ASYNC_UNSAFE (set for Playwright; a deploy error)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AGORA_", "DJANGO_ALLOW_ASYNC"))}
    clean["AGORA_DATABASE_URL"] = f"sqlite:///{tmp_path / 'secure.sqlite3'}"
    return subprocess.run(
        [sys.executable, *code_or_args], cwd=BASE_DIR, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _django_settings(tmp_path: Path, **env: str) -> dict:
    # settings.py reads the environment once, at import: a fresh process per environment
    code = (
        "import json, agora.settings as s; print(json.dumps({k: getattr(s, k, None) for k in ["
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
        "'SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER', 'USE_X_FORWARDED_HOST', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE']}))"
    )
    result = _run(["-c", code], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- O3: TLS settings -----------------------------------------------------------------------------


def test_https_production_site_gets_hsts_by_default():
    # given debug off and an https site URL; when the config is read
    config = AgoraConfig.from_env(PRODUCTION)
    # then HSTS is on for a year, subdomains included, no preload, and no redirect: without a trusted
    # X-Forwarded-Proto a TLS proxy's requests all look like http and would redirect forever
    assert config.hsts_seconds == HSTS_DEFAULT_SECONDS == 31_536_000
    assert config.hsts_include_subdomains is True and config.hsts_preload is False
    assert config.ssl_redirect is False and config.trust_x_forwarded_proto is False


def test_ssl_redirect_defaults_on_once_the_proxy_header_is_trusted():
    assert AgoraConfig.from_env(BEHIND_PROXY).ssl_redirect is True
    # an explicit choice wins over the derived default
    assert AgoraConfig.from_env({**BEHIND_PROXY, "AGORA_SSL_REDIRECT": "0"}).ssl_redirect is False
    assert AgoraConfig.from_env({**BEHIND_PROXY, "AGORA_HSTS_SECONDS": "600"}).hsts_seconds == 600


@pytest.mark.parametrize(
    "env",
    [
        {**BEHIND_PROXY, "AGORA_SITE_URL": "http://agora.example.com"},  # no TLS at all
        {**BEHIND_PROXY, "AGORA_DEBUG": "1", "AGORA_ALLOWED_HOSTS": "localhost"},  # development
        {},  # `make run`
    ],
    ids=["http-site", "debug", "defaults"],
)
def test_no_hsts_or_redirect_without_an_https_production_site(env):
    # HSTS on a site without TLS would lock browsers out of it for the max-age
    config = AgoraConfig.from_env(env)
    assert config.hsts_seconds == 0 and config.ssl_redirect is False


def test_django_settings_trust_forwarded_headers_only_when_told(tmp_path):
    # given production https behind a TLS proxy, X-Forwarded-Host not opted in
    derived = _django_settings(tmp_path, **BEHIND_PROXY)
    # then Django sends HSTS, redirects http, and believes X-Forwarded-Proto only
    assert derived == {
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "USE_X_FORWARDED_HOST": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }
    # when nothing is opted in (the default profile), no forwarded header is trusted
    plain = _django_settings(tmp_path)
    assert plain["SECURE_PROXY_SSL_HEADER"] is None and plain["USE_X_FORWARDED_HOST"] is False
    assert plain["SECURE_HSTS_SECONDS"] == 0 and plain["SECURE_SSL_REDIRECT"] is False
    # and X-Forwarded-Host is its own switch
    assert _django_settings(tmp_path, **PRODUCTION, AGORA_TRUST_X_FORWARDED_HOST="1")["USE_X_FORWARDED_HOST"]


def test_deploy_check_has_no_security_warnings_for_a_production_site(tmp_path):
    # given the production profile behind a TLS proxy, with HSTS preload consented to
    env = {**BEHIND_PROXY, "AGORA_HSTS_PRELOAD": "1"}
    # when Django's deployment check runs
    result = _run(["manage.py", "check", "--deploy"], tmp_path, **env)
    # then Django's own security checks pass (django-oauth-toolkit's RFC 9700 warnings are the OAuth
    # settings' owner's call: see docs/status/secure.md)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "(security." not in output, output


def test_deploy_check_without_preload_leaves_only_the_preload_advice(tmp_path):
    result = _run(["manage.py", "check", "--deploy"], tmp_path, **BEHIND_PROXY)
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if "(security." in line]
    assert [w.split(")")[0] for w in warnings] == ["?: (security.W021"], warnings


# --- O1: a debug site must not be exposed -------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    ["localhost", "127.0.0.1", "127.0.1.1", "[::1]", "::1", "testserver", ".localhost", "app.localhost"],
)
def test_loopback_hosts_are_local(host):
    assert is_local_host(host)


@pytest.mark.parametrize(
    "host",
    [
        "*",
        "0.0.0.0",
        "192.168.1.5",
        "agora.example.com",
        ".example.com",
        "[2001:db8::1]",
        "localhost.evil.com",
    ],
)
def test_network_hosts_are_not_local(host):
    assert not is_local_host(host)


def test_debug_with_a_public_allowed_host_is_refused():
    # given debug on (the default) and a public host name among the allowed hosts
    config = AgoraConfig.from_env({"AGORA_ALLOWED_HOSTS": "localhost,agora.example.com"})
    # when the config is checked, then it refuses, naming the host and both ways out
    with pytest.raises(ConfigError, match="AGORA_ALLOWED_HOSTS names agora.example.com") as refused:
        config.check()
    assert "AGORA_DEBUG=0" in str(refused.value) and isinstance(refused.value, ImproperlyConfigured)


def test_debug_on_loopback_and_production_on_a_public_host_both_start():
    AgoraConfig.from_env({}).check()  # `make run`: debug on, default loopback hosts
    AgoraConfig.from_env({"AGORA_ALLOWED_HOSTS": "localhost,127.0.0.1,[::1]"}).check()
    AgoraConfig.from_env(PRODUCTION).check()  # debug off: any host


def test_django_refuses_to_start_a_debug_site_exposed_to_the_network(tmp_path):
    # given debug on and ALLOWED_HOSTS "*"; when Django starts (a fresh process)
    result = _run(["manage.py", "check"], tmp_path, AGORA_ALLOWED_HOSTS="*")
    # then it stops with the reason
    assert result.returncode != 0
    assert "AGORA_DEBUG is on" in result.stderr and "AGORA_ALLOWED_HOSTS names *" in result.stderr
    # and `agora serve` says so in one line, no traceback
    served = _run(["-m", "agora.cli", "serve", "--dry-run"], tmp_path, AGORA_ALLOWED_HOSTS="*")
    assert served.returncode == 2 and served.stderr.startswith("agora: AGORA_DEBUG is on")
    assert "Traceback" not in served.stderr
