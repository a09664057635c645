"""Side effects run after the transaction commits, never inside it (Saleor's call_event).

`after_commit(task, *args)` queues a Celery task once the surrounding transaction commits.
With no broker configured Celery runs tasks eagerly, so in the embedded profile the task runs
inline right after commit, in the same process.

An `Event` lets a lower app announce what happened without importing the apps that react: the
square's timelines and notifications subscribe to what social publishes, notifications to what the
market publishes. Each app declares its events in `<app>/events.py`; subscribers are Celery tasks
taking the event's arguments (ids), subscribed in their app's `AppConfig.ready()`.
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


class Event:
    """Something that happened, published with ids once the write commits."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tasks: list[Any] = []

    def subscribe(self, task: Any) -> None:
        if task not in self.tasks:
            self.tasks.append(task)

    def publish(self, *args: Any) -> None:
        """Queue each subscriber with these arguments after the current transaction commits."""
        for task in self.tasks:
            after_commit(task, *args)

    def __repr__(self) -> str:
        return f"Event({self.name!r})"
