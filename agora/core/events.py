"""Side effects run after the transaction commits, never inside it (Saleor's call_event).

`after_commit(task, *args)` queues a Celery task once the surrounding transaction commits.
With no broker configured Celery runs tasks eagerly, so in the embedded profile the task runs
inline right after commit, in the same process.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)


def after_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(partial(_send, task, args, kwargs), robust=True)


def _send(task: Any, args: tuple, kwargs: dict) -> None:
    task.delay(*args, **kwargs)
