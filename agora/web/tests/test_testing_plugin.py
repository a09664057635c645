"""The browser fixtures skip without Chromium, but fail in CI, where a missing browser is a broken setup."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    test = tmp_path / "test_uses_browser.py"
    test.write_text("def test_needs_a_browser(browser):\n    assert browser\n")
    environ = {**os.environ, "AGORA_TEST_CHROMIUM": str(tmp_path / "no-chromium"), **env}
    if "CI" not in env:
        environ.pop("CI", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "agora.web.testing",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(ROOT),
            str(test),
        ],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(("ci", "expected"), [("", "1 skipped"), ("true", "1 error")])
def test_missing_chromium(tmp_path, ci, expected):
    # a fixture that fails is reported as an error of the test, which fails the run all the same
    result = _run(tmp_path, **({"CI": ci} if ci else {}))
    assert expected in result.stdout, result.stdout + result.stderr
    assert "Chromium not found at" in result.stdout
