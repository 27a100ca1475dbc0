"""The browser tests skip outside CI when Chromium is missing, and fail (never skip) in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _run_without_browser(ci: str | None) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name != "CI"}
    env["SSB_TWIN_TEST_CHROMIUM"] = str(HERE / "no-such-chromium")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(HERE / "test_dashboard_browser.py"),
         "-k", "docs_render"],
        env=env, capture_output=True, text=True, timeout=120, cwd=HERE.parents[1],
    )


@pytest.mark.integration
def test_missing_browser_skips_with_the_reason_outside_ci():
    run = _run_without_browser(ci=None)
    assert run.returncode == 0, run.stdout[-2000:]
    assert "2 skipped" in run.stdout
    assert "apt-get install -y chromium chromium-driver" in run.stdout


@pytest.mark.integration
def test_missing_browser_fails_in_ci():
    run = _run_without_browser(ci="true")
    assert run.returncode == 1, run.stdout[-2000:]
    assert "CI=true and browser tests need" in run.stdout
    assert "skipped" not in run.stdout
