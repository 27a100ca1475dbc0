"""Every figure a user reads is named and written one way across the commands: yields in percent with two
decimals, the cell piece yield shown beside the overall yield, OEE said to be on the sheet yield, --json - for
stdout, and no sheet yield after the cutting step in any result."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from twin.cli import build_cli
from twin.commands.formats import percent, time_share
from twin.results import sheet_yields_read

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "oxide_baseline.yaml"
AFTER_CUTTING = ("stacking", "packaging", "end_of_line_test")   # the baseline's steps after its cutting step
OEE_SAID = "OEE: availability x performance x sheet yield"


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    # in an empty folder: a command that took '-' for a file name would leave a file called '-' there
    return subprocess.run([sys.executable, "-m", "twin.cli", *args], capture_output=True, text=True, cwd=tmp_path,
                          timeout=600)


def _row(text: str, label: str) -> list[str]:
    """The cells of the table row that starts with ``label`` (rich's box characters as separators)."""
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.replace("┃", "│").split("│")]
        if len(cells) > 2 and cells[1] == label:
            return cells[1:-1]
    raise AssertionError(f"no row {label!r} in:\n{text}")


def _words(text: str) -> str:
    """The text with its line breaks and table padding collapsed (rich wraps captions and titles)."""
    return " ".join(text.split())


@pytest.mark.unit
def test_fractions_are_written_one_way():
    assert percent(0.8096) == "80.96%" and percent(0.81617) == "81.62%" and percent(1.0) == "100.00%"
    assert time_share(0.554) == "55%"
    assert percent(None) == percent(float("nan")) == percent(float("inf")) == "n/a"   # never inf/nan to a user


@pytest.mark.unit
def test_no_sheet_yield_after_cutting():
    read = sheet_yields_read({"casting": 1.0, "inspection": 0.99, "cutting": 1.0, "test": 0.98},
                             {"casting", "inspection", "cutting"})
    assert read == {"casting": 1.0, "inspection": 0.99, "cutting": 1.0, "test": None}


@pytest.mark.integration
def test_evaluate_json_to_stdout_and_its_yields_in_percent(tmp_path):
    done = _cli(tmp_path, "evaluate", str(BASELINE), "--json", "-")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)   # nothing but the JSON on stdout
    assert list(tmp_path.iterdir()) == []
    yields = result["yield"]
    # the tables went to stderr: the overall yield in percent to its sampling error's precision, with it (two
    # decimals read as if the +-0.6 points were not there), the cell piece yield with two decimals
    half = (result["sampling_error"]["yield_overall"]["ci95_high"] - yields["overall"]) * 100.0
    assert 0.1 <= half < 1.0   # the baseline's +-0.6 points: one decimal
    assert _row(done.stderr, "overall yield") == ["overall yield", f"{yields['overall'] * 100:.1f}% +- {half:.1f}"]
    assert _row(done.stderr, "cell piece yield (finished sheets)") == [
        "cell piece yield (finished sheets)", f"{yields['cell_piece_yield']:.2%}"]
    assert OEE_SAID in _words(done.stderr)
    # one rule for the sheet yield: up to the cutting step only, in the JSON as in the table
    assert isinstance(yields["sheet_yield_by_step"]["cutting"], float)
    assert all(yields["sheet_yield_by_step"][step] is None for step in AFTER_CUTTING)
    assert all(_row(done.stderr, step)[2] == "" for step in AFTER_CUTTING)


@pytest.mark.integration
def test_simulate_prints_yields_as_evaluate_does_and_json_to_stdout(tmp_path):
    done = _cli(tmp_path, "simulate", str(BASELINE), "--days", "1", "--seed", "1", "--json", "-")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert list(tmp_path.iterdir()) == []
    yields = result["yield"]
    # it printed "overall yield 0.8096" where its own sentence said "overall 80.96%"
    assert _row(done.stderr, "overall yield") == ["overall yield", f"{yields['overall']:.2%}"]
    assert f"overall {yields['overall']:.2%}" in _words(done.stderr)
    assert _row(done.stderr, "cell piece yield (finished sheets)") == [
        "cell piece yield (finished sheets)", f"{yields['cell_piece_yield']:.2%}"]
    assert OEE_SAID in _words(done.stderr)
    assert isinstance(yields["sheet_yield_by_step"]["cutting"], float)
    assert all(yields["sheet_yield_by_step"][step] is None for step in AFTER_CUTTING)
    # each station's own figures stay (the OEE's quality is the station's sheet flow)
    assert all(isinstance(result["stations"][step]["quality"], float) for step in AFTER_CUTTING)


@pytest.mark.integration
def test_compare_json_to_stdout(tmp_path):
    done = _cli(tmp_path, "compare", "oxide_baseline", "--json", "-")
    assert done.returncode == 0, done.stderr
    block = json.loads(done.stdout)
    row = next(r for r in block["rows"] if r["scenario"] == "oxide_baseline")
    # the yield in percent as everywhere, no figure or name cut to "…" in an 80-column terminal
    line = next(line.split() for line in done.stderr.splitlines() if line.split()[:1] == ["oxide_baseline"])
    assert line[-2] == f"{row['overall_yield']:.2%}" and "…" not in done.stderr


@pytest.mark.unit
def test_every_json_option_takes_a_dash_for_stdout():
    commands = build_cli().commands
    with_json = {name for name, command in commands.items()
                 if any("--json" in param.opts for param in command.params)}
    assert with_json == {"evaluate", "simulate", "optimise", "invest", "sensitivity", "compare"}
    for name in with_json:
        option = next(param for param in commands[name].params if "--json" in param.opts)
        assert isinstance(option.type, click.Path) and option.type.allow_dash, name
        assert "'-': stdout" in option.help, name
