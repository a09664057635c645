"""AGORA_LOG_JSON=1: every log record is one JSON line (agora/core/jsonlog.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from agora.config import BASE_DIR

LOG = (
    "import logging, django; django.setup(); log = logging.getLogger('agora.orders'); "
    "log.warning('paid %s', 'order 7', extra={'order_id': 7}); log.info('hidden below WARNING')\n"
    "try:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception('sweep failed')"
)


def _stderr(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AGORA_")}
    result = subprocess.run(
        [sys.executable, "-c", LOG],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "agora.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_json_logs_are_one_object_a_line_with_extras_and_the_traceback():
    lines = [json.loads(line) for line in _stderr(AGORA_LOG_JSON="1").splitlines()]
    assert [(r["level"], r["logger"], r["message"]) for r in lines] == [
        ("WARNING", "agora.orders", "paid order 7"),
        ("ERROR", "agora.orders", "sweep failed"),
    ]
    assert lines[0]["order_id"] == 7 and lines[0]["pid"] > 0 and lines[0]["ts"].endswith("+00:00")
    assert "ZeroDivisionError" in lines[1]["exc"]


def test_the_level_is_a_setting_and_text_stays_the_default():
    text = _stderr(AGORA_LOG_LEVEL="info")
    assert "hidden below WARNING" in text and not text.startswith("{")
