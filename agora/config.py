"""Every setting Agora reads from the environment, typed and documented in one place.

Each field is read from ``AGORA_<NAME>`` (``AGORA_DATABASE_URL``, ``AGORA_DEBUG`` ...).
``settings.py`` turns these into Django settings; nothing else reads the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "agora-development-secret-key-do-not-use-in-production"


def _parse(kind: str, raw: str) -> Any:
    if kind == "bool":
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind == "int":
        return int(raw)
    if kind == "list":
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


@dataclass(frozen=True)
class AgoraConfig:
    # Debug pages and relaxed checks. Production runs with AGORA_DEBUG=0.
    debug: bool = True
    # Signs sessions, CSRF tokens and payment notifications. Must be set when debug is off.
    secret_key: str = DEFAULT_SECRET_KEY
    # Database URL. Default: the embedded SQLite file. e.g. postgres://root@127.0.0.1:5432/agora
    database_url: str = f"sqlite:///{BASE_DIR / 'var' / 'agora.sqlite3'}"
    # Redis URL for cache, rate limits, timelines and the channel layer. Empty: local memory.
    redis_url: str = ""
    # Celery broker URL. Empty: tasks run inline, after the transaction that queued them commits.
    broker_url: str = ""
    # Host names this site answers to, comma separated.
    allowed_hosts: list = field(default_factory=lambda: ["127.0.0.1", "localhost", "[::1]", "testserver"])
    # Where uploaded media is written, and the URL it is served under.
    media_root: str = str(BASE_DIR / "var" / "media")
    media_url: str = "/media/"
    # Where `collectstatic` puts static files for production serving.
    static_root: str = str(BASE_DIR / "var" / "static")
    # Email: a Django backend path; the console backend prints mail in development.
    email_backend: str = "django.core.mail.backends.console.EmailBackend"
    email_host: str = "localhost"
    email_port: int = 25
    email_host_user: str = ""
    email_host_password: str = ""
    email_use_tls: bool = False
    default_from_email: str = "Agora <noreply@agora.local>"
    # Public name of this site, and the base URL used in links sent out (emails, feeds, OAuth metadata).
    site_title: str = "Agora"
    site_url: str = "http://127.0.0.1:8000"
    # New accounts must confirm their email before their API token works.
    require_email_confirmation: bool = False
    # API rate limits: requests per window for each token, and for each IP without a token.
    rate_limit_per_token: int = 300
    rate_limit_per_ip: int = 300
    rate_limit_window_seconds: int = 300
    # Failed log-ins allowed per account+IP before log-in is locked for the lock period.
    login_failure_limit: int = 5
    login_lock_seconds: int = 900
    # Longest post in characters, and most images on one post.
    max_post_chars: int = 2000
    max_post_media: int = 9
    # Largest image upload, in bytes.
    max_image_bytes: int = 10 * 1024 * 1024

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> AgoraConfig:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"AGORA_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _parse(str(f.type), raw)
        return cls(**values)

    def check(self) -> None:
        """Refuse settings that are unsafe in production, saying why."""
        if not self.debug and self.secret_key == DEFAULT_SECRET_KEY:
            raise RuntimeError(
                "AGORA_DEBUG=0 but AGORA_SECRET_KEY is the development default: anyone could forge "
                "sessions and payment notifications. Set AGORA_SECRET_KEY to a long random string, "
                "e.g. the output of `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
            )
