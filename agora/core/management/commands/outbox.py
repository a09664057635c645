"""`agora outbox`: what the transactional outbox holds (agora/core/outbox.py), and what to do about it.

agora outbox                 rows waiting past the sweep delay, the oldest one's age, dead letters
agora outbox --sweep         publish the waiting rows now (as beat's core.relay_outbox does)
agora outbox --retry-dead    give the dead letters another round of attempts (after a fix)
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from agora.core import outbox


class Command(BaseCommand):
    help = "Show the transactional outbox's unsent rows and dead letters; sweep or retry them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sweep", action="store_true", help="publish the waiting rows now")
        parser.add_argument("--retry-dead", action="store_true", help="retry the dead letters")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["retry_dead"]:
            self.stdout.write(f"dead letters given another round: {outbox.retry_dead()}")
        if options["sweep"]:
            self.stdout.write(f"rows published: {outbox.sweep()}")
        state = outbox.status()
        self.stdout.write(
            f"unsent (older than {outbox.SWEEP_AFTER:g} s): {state['unsent']}, "
            f"oldest {state['oldest_seconds']:g} s; dead letters: {state['dead']}"
        )
