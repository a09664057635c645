"""Django settings, derived from AgoraConfig (agora/config.py). Set AGORA_* variables, not this file."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from agora.config import BASE_DIR, AgoraConfig, signing_key
from agora.core.redis import reconnect_once

AGORA = AgoraConfig.from_env()
AGORA.check()

DEBUG = AGORA.debug
# AGORA_SECRET_KEY, or with debug on and none given, this install's own (made on first run in var/).
SECRET_KEY = signing_key(AGORA)
ALLOWED_HOSTS = AGORA.allowed_hosts
CSRF_TRUSTED_ORIGINS = [AGORA.site_url]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "oauth2_provider",
    "agora.core",
    "agora.accounts",
    "agora.platform",
    "agora.api",
    "agora.web",
    "agora.media",
    # the public square (issue 3)
    "agora.social",
    "agora.feeds",
    "agora.notifications",
    # the market (issue 4)
    "agora.shops",
    "agora.catalog",
    "agora.cart",
    "agora.orders",
    "agora.payments",
    "agora.reviews",
    # boards and wishlists (issue 14): above the square and the market
    "agora.boards",
]

MIDDLEWARE = [
    # /health/live and /health/ready, answered before anything looks at the Host header.
    "agora.web.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # /api/ only: unknown paths and wrong methods answer in the API's JSON error shape.
    "agora.api.fallback.ApiErrorShapeMiddleware",
    # /api/ and /oauth/ only: CORS for browser clients (answers preflights), rate limits (refuse
    # before any work), then Idempotency-Key replay.
    "agora.platform.cors.CorsMiddleware",
    "agora.core.ratelimit.RateLimitMiddleware",
    "agora.core.idempotency.IdempotencyMiddleware",
    # Session, log-in, messages and htmx: Django's, skipped for /api/ (token auth only there:
    # agora/api/browseronly.py). CSRF and X-Frame-Options stay Django's own, as `check --deploy` asks.
    "agora.api.browseronly.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "agora.api.browseronly.AuthenticationMiddleware",
    "agora.api.browseronly.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "agora.api.browseronly.HtmxMiddleware",
    # a value PostgreSQL refuses (NUL in text, out-of-range number) answers 422/400, not 500
    "agora.core.dataerrors.DataErrorMiddleware",
]

ROOT_URLCONF = "agora.urls"
WSGI_APPLICATION = "agora.wsgi.application"
ASGI_APPLICATION = "agora.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agora.web.context.site",
                "agora.notifications.context.unread",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------------
_db = dj_database_url.parse(AGORA.database_url, conn_max_age=0)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue on busy_timeout instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    _db["CONN_MAX_AGE"] = 60
    # No health check on every request (a SELECT 1 round trip each): agora/core/dbhealth.py checks a
    # connection only after it sat idle, the case where a check pays (bench/faults/restart.py).
    _db["CONN_HEALTH_CHECKS"] = False
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = _db["ENGINE"].endswith("postgresql")

# --- cache, rate limits, channel layer (agora/core/sqlitecache.py: the store of shared counts) -----
if AGORA.redis_url:
    CACHES = {
        "default": {
            "BACKEND": "agora.core.rediscache.ReusingRedisCache",
            "LOCATION": AGORA.redis_url,
            # A connection Redis closed (a restart) is reconnected and the command sent once more.
            "OPTIONS": reconnect_once(),
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [AGORA.redis_url]},
        }
    }
else:
    # Rate limits and log-in lock-outs must hold across granian's workers, which local memory does
    # not: they count in an SQLite file beside the database, which every process shares.
    _state_dir = (
        Path(_db["NAME"]).parent if _db["ENGINE"] == "django.db.backends.sqlite3" else BASE_DIR / "var"
    )
    _state_dir.mkdir(parents=True, exist_ok=True)
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "agora"},
        "counters": {
            "BACKEND": "agora.core.sqlitecache.SQLiteCache",
            "LOCATION": str(_state_dir / "counters.sqlite3"),
        },
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- background work ------------------------------------------------------------------------------
# A task in flight when its worker dies runs again, soon, on either broker (docs/architecture.md,
# "Background work survives a dead worker"); every task is idempotent, so running twice is safe.
CELERY_BROKER_URL = AGORA.broker_url or "memory://"
CELERY_TASK_ALWAYS_EAGER = not AGORA.broker_url
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = AGORA.task_queue
CELERY_TASK_IGNORE_RESULT = True
# Acknowledged when done, not when taken: a worker killed mid-task leaves the message with the broker.
CELERY_TASK_ACKS_LATE = True
# A pool process killed mid-task (the OOM killer, kill -9) gives its task back to the queue; without
# this Celery acknowledges it as failed (WorkerLostError) and it is gone.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message reserved per pool process: a dead worker strands no queue of prefetched tasks, and a
# long task does not hold short ones hostage behind it.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A runaway task is killed and recorded failed (and acknowledged: a poison message is not run
# forever). Below half the visibility timeout (config.py checks it).
CELERY_TASK_TIME_LIMIT = AGORA.task_time_limit
# Lost the broker: the running tasks' messages go back to the queue anyway, so stop them instead of
# letting a second copy run beside them.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing through a broker that is restarting: retry for about 2 s (a Redis restart) before the
# caller sees the error, rather than Celery's 0.6 s; longer would hold a web thread through an outage.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 6,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
if AGORA.broker_url.startswith(("redis://", "rediss://", "redis+socket://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Unacknowledged messages of a dead worker are handed out again this long after delivery.
        "visibility_timeout": AGORA.task_visibility_timeout,
        # Look for such messages every 5 s (kombu's default: every 10th 10 s tick, about 100 s).
        "unacked_restore_interval": 5,
        "unacked_restore_throttle": 1,
        # A broker that vanished without closing the connection fails a publish in 10 s, not never.
        "socket_timeout": 10,
        "socket_connect_timeout": 5,
    }
elif AGORA.broker_url.startswith(("amqp://", "amqps://", "pyamqp://")):
    # RabbitMQ: a publish returns once the broker has the message (publisher confirms), so a task
    # queued after commit is not lost if RabbitMQ dies the next moment.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"confirm_publish": True}
    # A dead host's connection (no RST) is noticed in about a minute, and its tasks handed on.
    CELERY_BROKER_HEARTBEAT = 30
CELERY_BEAT_SCHEDULE: dict = {
    # Core: publish the tasks of commits whose process died before publishing them (the outbox).
    "core-relay-outbox": {"task": "core.relay_outbox", "schedule": 5.0},
    # Market: cancel unpaid orders past their pay-by time (returning stock), confirm old shipments.
    "orders-expire-unpaid": {"task": "orders.expire_overdue_orders", "schedule": 60.0},
    "orders-auto-confirm": {"task": "orders.auto_confirm_orders", "schedule": 300.0},
    # Platform: forget Idempotency-Key records older than 24 h; drop expired OAuth tokens.
    "platform-purge-idempotency": {"task": "platform.purge_idempotency_records", "schedule": 3600.0},
    # Idempotency-Key claims a killed web process left without a response (else 409 for a day).
    "platform-release-abandoned-claims": {
        "task": "platform.release_abandoned_idempotency_claims",
        "schedule": 15.0,
    },
    "platform-clear-expired-tokens": {"task": "platform.clear_expired_tokens", "schedule": 86400.0},
}

# --- accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- OAuth 2 (django-oauth-toolkit) ---------------------------------------------------------------
# Named so migrations that point at the (swappable) Application model can resolve it.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES": {},  # filled from agora.platform.scopes at app load
    "DEFAULT_SCOPES": ["read"],
    "OAUTH2_VALIDATOR_CLASS": "agora.platform.oauth.AgoraOAuth2Validator",
    "PKCE_REQUIRED": False,  # supported, and required only when the client sends a challenge
    "ACCESS_TOKEN_EXPIRE_SECONDS": 60 * 60 * 24 * 30,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 60 * 60 * 24 * 90,
    "ROTATE_REFRESH_TOKEN": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https", "urn"],
    "ALLOWED_SCHEMES": ["https", "http"],
    # As Mastodon: a user who already gave this app these scopes is not asked again (force_login=true asks).
    "REQUEST_APPROVAL_PROMPT": "auto",
}

# --- i18n -----------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "agora" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- files ----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = AGORA.static_root
MEDIA_URL = AGORA.media_url
MEDIA_ROOT = AGORA.media_root
DATA_UPLOAD_MAX_MEMORY_SIZE = AGORA.max_image_bytes + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- email ----------------------------------------------------------------------------------------
EMAIL_BACKEND = AGORA.email_backend
EMAIL_HOST = AGORA.email_host
EMAIL_PORT = AGORA.email_port
EMAIL_HOST_USER = AGORA.email_host_user
EMAIL_HOST_PASSWORD = AGORA.email_host_password
EMAIL_USE_TLS = AGORA.email_use_tls
DEFAULT_FROM_EMAIL = AGORA.default_from_email

# --- security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = AGORA.site_url.startswith("https")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# TLS (docs/configuration.md): config.py derives the production defaults from AGORA_DEBUG and
# AGORA_SITE_URL; SecurityMiddleware sends HSTS on https responses only.
SECURE_HSTS_SECONDS = AGORA.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = AGORA.hsts_include_subdomains
SECURE_HSTS_PRELOAD = AGORA.hsts_preload
SECURE_SSL_REDIRECT = AGORA.ssl_redirect
# Opt-in only: trusting X-Forwarded-* without a proxy that rewrites them lets any client claim https
# or pick the host. Client IPs (rate limits, log-in throttles) still come from REMOTE_ADDR.
if AGORA.trust_x_forwarded_proto:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = AGORA.trust_x_forwarded_host

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "agora.core.jsonlog.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", **({"formatter": "json"} if AGORA.log_json else {})}
    },
    "root": {"handlers": ["console"], "level": AGORA.log_level.upper()},
}
# With JSON logs, Celery's worker logs through the handler above instead of its own text format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = not AGORA.log_json
