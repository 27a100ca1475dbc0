"""A reader that closes stdout early (``ssb-twin evaluate FILE | head -3``): the command finishes its own work and
keeps its exit status, with nothing on stderr. Rich's console would exit 1 at the first write."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "oxide_baseline.yaml"


def _run_with_closed_stdout(args: list[str]) -> tuple[int, str]:
    process = subprocess.Popen([sys.executable, "-m", "twin.cli", *args], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    process.stdout.close()   # the reader has gone before the first line
    stderr = process.stderr.read()
    return process.wait(timeout=300), stderr


@pytest.mark.integration
def test_evaluate_to_a_closed_pipe_exits_0_and_still_writes_its_json(tmp_path):
    out = tmp_path / "out.json"
    status, stderr = _run_with_closed_stdout(["evaluate", str(BASELINE), "--json", str(out)])
    assert status == 0, stderr
    assert "Traceback" not in stderr and "Broken" not in stderr and "internal error" not in stderr, stderr
    assert json.loads(out.read_text())["cost"]["usd_per_kwh"] > 0


@pytest.mark.integration
def test_validate_to_a_closed_pipe_keeps_its_exit_status():
    status, stderr = _run_with_closed_stdout(["validate", str(BASELINE)])
    assert status == 0, stderr
    assert "Traceback" not in stderr and "Broken" not in stderr


@pytest.mark.integration
def test_bad_input_to_a_closed_pipe_still_exits_2_with_its_message():
    status, stderr = _run_with_closed_stdout(["evaluate", str(BASELINE), "--set", "seed=-1"])
    assert status == 2
    assert "seed" in stderr and "Traceback" not in stderr
