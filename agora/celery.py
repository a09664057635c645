"""The Celery app. With no AGORA_BROKER_URL, tasks run eagerly (inline) in the process that queues them.

Its settings (acknowledge late, give a dead pool process's task back, prefetch one, the broker's
visibility timeout) are the CELERY_* names in agora/settings.py; docs/architecture.md says what each
broker then guarantees.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, Task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")

# What a restarting PostgreSQL, Redis or broker raises: the task did nothing it cannot redo (every
# task is idempotent), so it runs again a little later instead of being recorded failed and lost.
# OperationalError also covers a deadlock or serialization failure, which a retry also mends.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError, BrokerError)


class AgoraTask(Task):
    """Every Agora task: retried when a service it needs is briefly away, up to 12 times, each wait a
    random part of 1, 2, 4 ... 60 s (full jitter, so a crowd of retries does not return at once)."""

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 1
    retry_backoff_max = 60
    retry_jitter = True
    max_retries = 12

    def retry(self, *args: Any, **kwargs: Any) -> Any:
        if self.request.is_eager and isinstance(kwargs.get("exc"), BaseException):
            # Inline (no broker), a request is waiting on this call: fail now, as before, rather than
            # run the task again in the request (with SQLite's 20 s busy timeout, each try could wait).
            raise kwargs["exc"]
        return super().retry(*args, **kwargs)


app = Celery("agora", task_cls=AgoraTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
