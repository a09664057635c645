"""The site's WSGI application with a fault: the worker process that has just committed a post is
killed (SIGKILL, as `kill -9` or the OOM killer would) before it publishes the post's tasks, for one
post in AGORA_BENCH_DIE_ONE_IN. The window the transactional outbox closes (agora/core/outbox.py):
the commit is done, its after-commit hook has not run. The killed post's id is appended to the file
AGORA_BENCH_DIE_LOG first. Served by granian for bench/faults/post_kill.py; nothing else loads it.
"""

from __future__ import annotations

import os
import random
import signal

# isort: off
from agora.wsgi import application  # noqa: F401  (sets Django up, before the models are imported)
from agora.core import outbox

# isort: on

ONE_IN = int(os.environ.get("AGORA_BENCH_DIE_ONE_IN", "0"))
LOG = os.environ.get("AGORA_BENCH_DIE_LOG", "")
_relay = outbox.relay


def _dying_relay(batch: outbox.Batch) -> None:
    posts = [args[0] for task, args, _ in batch.calls if outbox.task_name(task) == "feeds.fan_out_status"]
    if posts and ONE_IN and random.randrange(ONE_IN) == 0:
        if LOG:
            with open(LOG, "a") as f:
                f.write(f"{posts[0]}\n")
        os.kill(os.getpid(), signal.SIGKILL)
    _relay(batch)


# The hook was bound when the batch was queued: partial(relay, batch) looks `relay` up in the module
# at queue time, so replacing it here covers every commit of this process.
outbox.relay = _dying_relay  # type: ignore[assignment]
