"""The dashboard's comparison shows shares in percent, as its other views do (charts.js `pct`)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.component

JS_DIR = Path(__file__).resolve().parents[2] / "api" / "ui" / "js"


def _compare_csv(tmp_path: Path, results: list[dict]) -> list[list[str]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    # a copy marked as ES modules (the served files are loaded by the browser as modules)
    shutil.copytree(JS_DIR, tmp_path / "js")
    (tmp_path / "js" / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    script = ("import { compareCsv } from './js/compare.js';\n"
              f"process.stdout.write(compareCsv(['a', 'b'], {json.dumps(results)}));\n")
    (tmp_path / "run.mjs").write_text(script, encoding="utf-8")
    ran = subprocess.run([node, str(tmp_path / "run.mjs")], capture_output=True, text=True, cwd=tmp_path,
                         check=False)
    assert ran.returncode == 0, ran.stderr
    return list(csv.reader(io.StringIO(ran.stdout)))


def test_yields_and_quality_shares_are_in_percent(tmp_path):
    results = [{"yield": {"overall": 0.5, "cell_piece_yield": 0.75},
                "quality": {"relative_density": {"mean": 0.25}, "li_loss_fraction": {"mean": 0.125}}},
               {"yield": {"overall": None}, "quality": {}}]
    rows = {row[1]: row for row in _compare_csv(tmp_path, results)}
    assert rows["overall yield"] == ["yield", "overall yield", "%", "50", ""]
    assert rows["cell piece yield"] == ["yield", "cell piece yield", "%", "75", ""]
    assert rows["relative density (mean)"] == ["quality", "relative density (mean)", "%", "25", ""]
    assert rows["Li loss (mean)"] == ["quality", "Li loss (mean)", "%", "12.5", ""]
    assert all(row[2] != "fraction" for row in rows.values())
