"""Every setting Agora reads from the environment, typed and documented in one place.

Each field is read from ``AGORA_<NAME>`` (``AGORA_DATABASE_URL``, ``AGORA_DEBUG`` ...).
``settings.py`` turns these into Django settings; nothing else reads the environment.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
import tempfile
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "agora-development-secret-key-do-not-use-in-production"
# Where an install without AGORA_SECRET_KEY keeps the key made for it on first run (var/ is gitignored).
SECRET_KEY_FILE = BASE_DIR / "var" / "secret_key"
# HSTS max-age for a production https site unless AGORA_HSTS_SECONDS says otherwise: a year, the
# minimum hstspreload.org accepts and what Django's deployment check asks for.
HSTS_DEFAULT_SECONDS = 31_536_000


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ConfigError(ImproperlyConfigured, ValueError):
    """An AGORA_* variable that cannot be used; the message names the variable and the fix.

    An ImproperlyConfigured, so Django and its tooling treat a refusal as a configuration error.
    """


def _parse(name: str, kind: str, raw: str) -> Any:
    value = raw.strip()
    if kind == "bool":
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ConfigError(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off.")
    if kind == "int":
        try:
            return int(value.replace("_", ""))
        except ValueError:
            raise ConfigError(f"{name}={raw!r}: expected a whole number.") from None
    if kind == "list":
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def env_name(field_name: str) -> str:
    return f"AGORA_{field_name.upper()}"


@dataclass(frozen=True)
class AgoraConfig:
    # Debug pages and relaxed checks: on by default so `make run` works on a fresh machine, and then
    # refused with a non-loopback AGORA_ALLOWED_HOSTS. Production runs with AGORA_DEBUG=0.
    debug: bool = True
    # `agora serve` (and `make run`): address, port, granian WSGI worker processes, and threads per
    # worker (requests a worker runs at once: views block on the database, so a few help; granian
    # warns above 2 x cores + 1).
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    web_workers: int = 2
    web_threads: int = 4
    # `agora run` (the production launcher, docs/operations.md), besides the web workers above: Celery
    # worker pool processes (0: no worker here, e.g. on a web-only host), whether it runs Celery beat
    # (one per deployment), and the port of the ASGI process for WebSockets (0: none).
    run_celery_concurrency: int = 2
    run_beat: bool = True
    run_asgi_port: int = 0
    # Logs: one JSON object per line (time, level, logger, message, process) instead of text, and the
    # least level written. `agora run` turns JSON on for everything it starts.
    log_json: bool = False
    log_level: str = "WARNING"
    # Signs sessions, CSRF tokens and sandbox payment notifications. Must be set when debug is off.
    # Unset (or the public default shown) with debug on: a random key made on first run in
    # var/secret_key (readable by its owner only, gitignored) and kept, so no two installs share one.
    secret_key: str = DEFAULT_SECRET_KEY
    # Database URL. Default: the embedded SQLite file. e.g. postgres://root@127.0.0.1:5432/agora
    database_url: str = f"sqlite:///{BASE_DIR / 'var' / 'agora.sqlite3'}"
    # Redis URL for cache, rate limits, timelines and the channel layer. Empty: local memory, with
    # rate limits and log-in lock-outs counted in counters.sqlite3 beside the SQLite database (or in
    # var/), a file all the server's processes share.
    redis_url: str = ""
    # Celery broker URL. Empty: tasks run inline, after the transaction that queued them commits.
    # Production: RabbitMQ (amqp://), or a Redis of its own that persists (appendonly) and never
    # evicts; docs/architecture.md ("Background work survives a dead worker") says why.
    broker_url: str = ""
    # The broker queue Agora's tasks go to and its workers read. Sites that share one broker each
    # need a queue of their own.
    task_queue: str = "celery"
    # Background tasks: a task running longer than the time limit (seconds) is killed and recorded
    # as failed, not run again. With Redis as the broker, a task taken by a worker that then died is
    # handed to another worker after the visibility timeout (seconds; RabbitMQ needs none: it hands
    # it on as soon as the dead worker's connection drops). The timeout must exceed twice the time
    # limit, or a task still running (or waiting behind one in a worker) would be handed out again.
    task_time_limit: int = 120
    task_visibility_timeout: int = 300
    # Host names this site answers to, comma separated. With debug on only loopback names are
    # accepted (localhost, *.localhost, 127.0.0.1, [::1]): debug pages must not reach the network.
    allowed_hosts: list = field(default_factory=lambda: ["127.0.0.1", "localhost", "[::1]", "testserver"])
    # Where uploaded media is written, and the URL it is served under (by granian in `agora serve`).
    media_root: str = str(BASE_DIR / "var" / "media")
    media_url: str = "/media/"
    # Where `collectstatic` puts static files for production serving.
    static_root: str = str(BASE_DIR / "var" / "static")
    # Email backend, a Django backend path; the console backend prints mail in development.
    email_backend: str = "django.core.mail.backends.console.EmailBackend"
    # SMTP server, port, log-in and TLS, for django.core.mail.backends.smtp.EmailBackend.
    email_host: str = "localhost"
    email_port: int = 25
    email_host_user: str = ""
    email_host_password: str = ""
    email_use_tls: bool = False
    # Sender of the mail Agora sends.
    default_from_email: str = "Agora <noreply@agora.local>"
    # Public name of this site.
    site_title: str = "Agora"
    # Base URL of the site in every absolute link it gives out (account, media and pay URLs, OAuth
    # metadata, emails) and its CSRF trusted origin. Empty: the address `agora serve` listens on,
    # http://AGORA_WEB_HOST:AGORA_WEB_PORT (127.0.0.1 for a wildcard host); `agora serve --host/--port`
    # and $PORT (`PORT=8801 make run`) pass theirs on to the workers. Set it for any other public
    # address, e.g. https://agora.example behind a TLS proxy.
    site_url: str = ""
    # HTTPS: seconds browsers must reach this host over https only (the Strict-Transport-Security
    # header, sent on https responses). Defaults to 31536000 (a year) with AGORA_DEBUG=0 and an https
    # AGORA_SITE_URL, 0 (no header) otherwise.
    hsts_seconds: int = 0
    # HTTPS: the HSTS header also covers subdomains of the site's host. Turn off if one of them still
    # serves plain http.
    hsts_include_subdomains: bool = True
    # HTTPS: the HSTS header carries `preload`, consent to be listed as https-only in browsers
    # (hstspreload.org). Hard to undo, so opt in.
    hsts_preload: bool = False
    # HTTPS: answer plain-http requests with a redirect to https. Defaults to on with AGORA_DEBUG=0, an
    # https AGORA_SITE_URL and AGORA_TRUST_X_FORWARDED_PROTO=1 (behind a TLS proxy only that header
    # tells http from https; without it every request would be redirected, in a loop).
    ssl_redirect: bool = False
    # Behind a TLS proxy: take a request as https when X-Forwarded-Proto says "https". Only behind a
    # proxy that sets or strips that header on every request: otherwise any client can claim https.
    trust_x_forwarded_proto: bool = False
    # Behind a proxy: take the host from X-Forwarded-Host (still checked against AGORA_ALLOWED_HOSTS).
    # Only when the proxy sets or strips that header; most pass Host through and do not need this.
    trust_x_forwarded_host: bool = False
    # New accounts must confirm their email before their API token works.
    require_email_confirmation: bool = False
    # The sandbox payment gateway (test payments: no real money moves, anyone can "pay"). Defaults to
    # on with debug and off with AGORA_DEBUG=0; set AGORA_PAYMENT_SANDBOX=1 to keep it in a staging site.
    payment_sandbox: bool = True
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
    # Shoppable posts: seconds the home timeline's cached JSON of a post carrying products keeps its
    # price, stock, rating and sales before it is rebuilt (other cached posts keep theirs 600 s). A
    # seller's edit or delisting drops it at once; a sale, a sell-out or a review only ages out.
    product_card_ttl: int = 60
    # Largest image upload, in bytes.
    max_image_bytes: int = 10 * 1024 * 1024
    # Market: unpaid orders are cancelled (stock returned) after this many minutes; shipped orders
    # are confirmed as received after this many days if the buyer does nothing.
    order_pay_minutes: int = 30
    order_auto_confirm_days: int = 10
    # Home timelines (hybrid fan-out): authors with more followers than this are not pushed to each
    # follower's timeline but merged in when it is read; followers idle for more than the inactive days
    # are skipped and rebuilt when they return; each stored timeline keeps this many newest entries.
    fanout_threshold: int = 10_000
    fanout_inactive_days: int = 30
    timeline_max_entries: int = 800
    # Timelines a fan-out task fills in one go: a post to more followers than this is pushed by one
    # task per batch, so several workers share it and a worker that dies redoes one batch, not all.
    fanout_batch: int = 1000
    # Hand-written SQL, prepared statements and Lua scripts on the hot paths (checkout, the home
    # read, a reader's flags and lists, the token check). Off: the plain-ORM reference
    # implementation of each, which gives the same results (tests run both; docs/performance.md
    # says what each fast path is worth).
    fast_paths: bool = True

    def __post_init__(self) -> None:
        if not self.site_url:
            # A frozen dataclass: the derived default is filled in once, as if it had been passed.
            object.__setattr__(self, "site_url", served_url(self.web_host, self.web_port))

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> AgoraConfig:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = env_name(f.name)
            raw = env.get(name)
            # An empty number or switch (`AGORA_DEBUG=`) means "not set", not zero or off.
            if raw is not None and (raw.strip() or str(f.type) in {"str", "list"}):
                values[f.name] = _parse(name, str(f.type), raw)
        if values.get("debug") is False:
            values.setdefault("payment_sandbox", False)
            if str(values.get("site_url", "")).lower().startswith("https://"):
                values.setdefault("hsts_seconds", HSTS_DEFAULT_SECONDS)
                if values.get("trust_x_forwarded_proto"):
                    values.setdefault("ssl_redirect", True)
        return cls(**values)

    def check(self) -> None:
        """Refuse settings that are unsafe in production, saying why."""
        if not self.debug and self.secret_key == DEFAULT_SECRET_KEY:
            raise ConfigError(
                "AGORA_DEBUG=0 but AGORA_SECRET_KEY is the development default: anyone could forge "
                "sessions and payment notifications. Set AGORA_SECRET_KEY to a long random string, "
                "e.g. the output of `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
            )
        if self.task_visibility_timeout <= 2 * self.task_time_limit:
            raise ConfigError(
                f"AGORA_TASK_VISIBILITY_TIMEOUT={self.task_visibility_timeout} must exceed twice "
                f"AGORA_TASK_TIME_LIMIT={self.task_time_limit}: a Redis broker would hand a task that is "
                "still running (or waiting behind one in its worker) to a second worker."
            )
        if self.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ConfigError(f"AGORA_LOG_LEVEL={self.log_level!r}: DEBUG, INFO, WARNING, ERROR or CRITICAL.")
        if self.task_time_limit < 1 or self.fanout_batch < 1:
            raise ConfigError("AGORA_TASK_TIME_LIMIT and AGORA_FANOUT_BATCH must be at least 1.")
        exposed = [host for host in self.allowed_hosts if not is_local_host(host)]
        if self.debug and exposed:
            # Debug stays the default so `make run` works on a fresh machine; naming a public host
            # means someone is about to serve debug pages (settings, source, SQL) to the network.
            raise ConfigError(
                f"AGORA_DEBUG is on (the default) but AGORA_ALLOWED_HOSTS names {', '.join(exposed)}: "
                "debug pages show settings, code and queries to anyone who can reach the site. "
                "To serve it, set AGORA_DEBUG=0 (and AGORA_SECRET_KEY); for development, keep "
                "AGORA_ALLOWED_HOSTS to localhost, 127.0.0.1 and [::1]."
            )


def signing_key(config: AgoraConfig, path: Path = SECRET_KEY_FILE) -> str:
    """The Django SECRET_KEY for `config`: its own, or for the public default this install's key.

    The default ships in the source, so with it anyone could sign sessions, CSRF tokens and sandbox
    "paid" notifications that this site would accept. Production refuses it (check()); with debug on
    it stands for "no key given" and is replaced by one made for this install."""
    if config.secret_key != DEFAULT_SECRET_KEY:
        return config.secret_key
    return install_secret(path)


def install_secret(path: Path) -> str:
    """The secret kept in `path`, made there on first run (mode 0600) if there is none yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written in full under another name, then linked into place: a process starting at the same
        # moment (granian's workers) reads either no file or the whole key, and a link never replaces
        # a key another process made first, so they all end up with the same one.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")  # owner-only
        try:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(50) + "\n")
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    key = path.read_text().strip()
    if len(key) < 32:
        raise ConfigError(
            f"{path} holds no usable secret key: delete it to have a new one made, or set AGORA_SECRET_KEY."
        )
    return key


def served_url(host: str, port: int) -> str:
    """The URL a browser on this machine reaches `agora serve --host host --port port` at."""
    name = host.strip() or "127.0.0.1"
    if name in {"0.0.0.0", "::", "[::]"}:  # noqa: S104  (every interface: loopback is one of them)
        name = "127.0.0.1" if name == "0.0.0.0" else "[::1]"  # noqa: S104
    elif ":" in name and not name.startswith("["):
        name = f"[{name}]"  # an IPv6 literal
    return f"http://{name}:{port}"


def is_local_host(host: str) -> bool:
    """Whether an ALLOWED_HOSTS entry only ever names this machine (or Django's test client)."""
    name = host.strip().lower().lstrip(".")  # ".localhost" is Django's "and its subdomains"
    if name in {"localhost", "testserver"} or name.endswith(".localhost"):
        return True  # *.localhost resolves to loopback (RFC 6761)
    try:
        return ipaddress.ip_address(name.removeprefix("[").removesuffix("]")).is_loopback
    except ValueError:
        return False  # a name, "*", or 0.0.0.0: reachable from elsewhere


def documentation() -> list[tuple[str, str, str]]:
    """(variable, default, description) for every field, the description being the comment above it.

    A comment describes every field after it up to the next comment, as in the class body above;
    docs/configuration.md is generated from this (`agora config --markdown`).
    """
    import inspect

    comments: dict[str, str] = {}
    block: list[str] = []
    current = ""
    for line in inspect.getsource(AgoraConfig).splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            block.append(stripped.lstrip("#").strip())
            continue
        if block:
            current, block = " ".join(block), []
        if ":" in stripped and not stripped.startswith(("def ", "@", "class ", '"')):
            comments[stripped.split(":", 1)[0].strip()] = current
    rows = []
    for f in fields(AgoraConfig):
        default = f.default_factory() if callable(f.default_factory) else f.default
        if isinstance(default, list):
            default = ",".join(default)
        shown = str(default).replace(str(BASE_DIR), "<project>")
        rows.append((env_name(f.name), shown, comments.get(f.name, "")))
    return rows


def documentation_markdown() -> str:
    lines = [
        "# Configuration",
        "",
        "Agora reads its settings from `AGORA_*` environment variables, typed in `agora/config.py`.",
        "Switches take 1/0, true/false, yes/no or on/off; lists are comma separated; an empty number",
        "or switch counts as unset. A bad value stops start-up with a message naming the variable.",
        "This page is generated: `agora config --markdown > docs/configuration.md`.",
        "",
        "| variable | default | what it does |",
        "| --- | --- | --- |",
    ]
    for name, default, text in documentation():
        cell = default.replace("|", "\\|") if default else "(empty)"
        lines.append(f"| `{name}` | `{cell}` | {text} |")
    return "\n".join(lines) + "\n" + BROKERS_MARKDOWN


BROKERS_MARKDOWN = """
## Brokers: what survives a dead worker

Tasks are acknowledged after they ran (`acks_late`), a pool process that dies mid-task gives its
task back (`task_reject_on_worker_lost`), each pool process reserves one message (prefetch
multiplier 1), a task is killed and recorded failed after `AGORA_TASK_TIME_LIMIT`, and a task that
meets a restarting PostgreSQL, Redis or broker is retried, up to 12 times, each wait a random part of
1, 2, 4 ... 60 s (agora/celery.py). Every
task is idempotent, so running one twice is safe; big fan-outs run in batches of
`AGORA_FANOUT_BATCH`, so a rerun redoes one batch. What each broker adds:

| | RabbitMQ (`amqp://`) | Redis (`redis://`) |
| --- | --- | --- |
| worker killed (kill -9, host lost) | its unacknowledged tasks go to another worker as soon as the connection drops (host lost: within two 30 s heartbeats); measured: a 10,000-follower fan-out complete 2 s after the kill | its unacknowledged tasks go to another worker after `AGORA_TASK_VISIBILITY_TIMEOUT` (300 s) plus at most 5 s; the tasks still queued run at once |
| pool process killed (OOM killer) | task back in the queue once Celery notices (at most its 5 s pool check; measured 0.3-6 s) | the same (measured 0.6 s) |
| a task queued just before the broker dies | kept: the publish waits for RabbitMQ's confirm; durable queue, persistent message | kept only with `appendonly yes` (fsync every second: up to a second lost) |
| a task runs longer than the visibility timeout | not an issue (no timeout) | handed out again while it runs: the time limit prevents it |
| a broker that evicts keys under memory pressure | n/a | tasks silently lost: a Redis of its own with `maxmemory-policy noeviction` |

Production should use RabbitMQ: redelivery within seconds of a crash, confirmed publishes, no timeout
to tune. bench/faults/fanout_kill.py measures both (docs/operations.md). Redis works with the settings above on a Redis of its own (not the cache's: the cache
evicts), persisted with `appendonly yes`. With either, the tasks a transaction queues are written to
the transactional outbox in that transaction (agora/core/outbox.py): a web process killed between
the commit and the publish, or a broker away for longer than the publish retries, delays them (beat's
sweep publishes them, 10-15 s later), it does not lose them. A task that fails for good, or whose
worker dies under it more than 5 times, is kept as a dead letter (`agora outbox`), not run forever;
docs/architecture.md says more.
"""
