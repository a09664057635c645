"""The Celery app. With no AGORA_BROKER_URL, tasks run eagerly (inline) in the process that queues them.

Its settings (acknowledge late, give a dead pool process's task back, prefetch one, the broker's
visibility timeout) are the CELERY_* names in agora/settings.py; docs/architecture.md says what each
broker then guarantees.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

from celery import Celery, Task
from celery.exceptions import Ignore
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")

# What a restarting PostgreSQL, Redis or broker raises: the task did nothing it cannot redo (every
# task is idempotent), so it runs again a little later instead of being recorded failed and lost.
# OperationalError also covers a deadlock or serialization failure, which a retry also mends.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError, BrokerError)


# A task handed out this many times without finishing (its worker died under it each time: it kills
# its worker, or the OOM killer takes it) is not run again: both brokers would hand it out forever.
MAX_DELIVERIES = 5
DELIVERIES_TTL = 24 * 3600


class AgoraTask(Task):
    """Every Agora task: retried when a service it needs is briefly away, up to 12 times, each wait a
    random part of 1, 2, 4 ... 60 s (full jitter, so a crowd of retries does not return at once).

    A poison task does not loop: one that fails for good (any other error, or the retries spent) is
    logged and kept as a dead letter (agora/core/outbox.py: `agora outbox` shows it, `--retry-dead`
    sends it again); one whose worker dies under it is counted (in Redis, per delivery of a task id
    and retry) and, handed out more than MAX_DELIVERIES times, is dead-lettered instead of run."""

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 1
    retry_backoff_max = 60
    retry_jitter = True
    max_retries = 12

    def _deliveries_key(self) -> str | None:
        from django.conf import settings

        request = self.request
        if request.is_eager or not request.id or not settings.AGORA.redis_url:
            return None  # inline (a request waits on it; no redelivery), or nowhere to count
        return f"agora:deliveries:{request.id}:{request.retries or 0}"

    def before_start(self, task_id: str, args: Any, kwargs: Any) -> None:
        key = self._deliveries_key()
        if key is None:
            return
        from django.conf import settings

        from agora.core.redis import client

        try:
            redis = client(settings.AGORA.redis_url)
            pipe = redis.pipeline()
            pipe.incr(key)
            pipe.expire(key, DELIVERIES_TTL)
            count, _ = pipe.execute()
        except TRANSIENT_ERRORS:
            return  # Redis away: run it (counting is a safeguard, not a gate)
        if count > MAX_DELIVERIES:
            from agora.core.outbox import dead_letter

            dead_letter(
                self.name, args, kwargs, reason=f"handed out {count} times, its worker died each time"
            )
            redis.delete(key)
            raise Ignore()  # acknowledged, not run

    def after_return(
        self, status: str, retval: Any, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        key = self._deliveries_key()
        if key is None:
            return
        from django.conf import settings

        from agora.core.redis import client

        with contextlib.suppress(*TRANSIENT_ERRORS):  # else it expires
            client(settings.AGORA.redis_url).delete(key)

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        if self.request.is_eager:
            return  # inline: the error reaches the outbox's relay, which keeps the row for its sweep
        from agora.core.outbox import dead_letter

        dead_letter(self.name, args, kwargs, reason=f"failed: {type(exc).__name__}: {exc}")

    def retry(self, *args: Any, **kwargs: Any) -> Any:
        if self.request.is_eager and isinstance(kwargs.get("exc"), BaseException):
            # Inline (no broker), a request is waiting on this call: fail now, as before, rather than
            # run the task again in the request (with SQLite's 20 s busy timeout, each try could wait).
            raise kwargs["exc"]
        return super().retry(*args, **kwargs)


app = Celery("agora", task_cls=AgoraTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
