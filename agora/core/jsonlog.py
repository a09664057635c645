"""Structured logs: one JSON object per line, for a log shipper to read without parsing text.

`JsonFormatter` is the formatter of settings.LOGGING with AGORA_LOG_JSON=1 (which `agora run` sets
for everything it starts); `record()` builds the same shape for lines the launcher writes itself
or wraps (a child's own text output), so every line of `agora run` parses the same way.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from typing import Any

# LogRecord attributes that are not extra fields given with `log.info(..., extra={...})`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def record(message: str, *, level: str = "INFO", logger: str = "agora", **fields: Any) -> dict[str, Any]:
    return {
        "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "level": level,
        "logger": logger,
        "message": message,
        "pid": os.getpid(),
        **fields,
    }


class JsonFormatter(logging.Formatter):
    def format(self, r: logging.LogRecord) -> str:
        out = {
            "ts": datetime.fromtimestamp(r.created, UTC).isoformat(timespec="milliseconds"),
            "level": r.levelname,
            "logger": r.name,
            "message": r.getMessage(),
            "pid": r.process,
        }
        if r.exc_info:
            out["exc"] = self.formatException(r.exc_info)
        for key, value in vars(r).items():
            if key not in _STANDARD and key not in out:
                out[key] = value
        # default=str: an extra field that JSON cannot hold (a model, a Decimal) is written as text
        # rather than losing the whole line.
        return json.dumps(out, default=str, ensure_ascii=False)
