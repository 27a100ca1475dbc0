"""The Li-ion reference plant runs through every command (validate, evaluate, simulate, optimise, report,
invest, compare), and its $/kWh sits inside DOE's BatPaC-based sanity band."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from twin.evaluate import evaluate_scenario
from twin.reference_comparison import DOE_PACK_ESTIMATE, REFERENCE_SCENARIO, comparison
from twin.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "scenarios" / "liion_batpac_reference.yaml"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "twin.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=600)


@pytest.mark.integration
def test_reference_cells_cost_less_than_the_doe_pack_estimate():
    """Cells of a 50 GWh/yr BatPaC plant: below DOE's US$153/kWh pack (2022) and above half of it (sanity band;
    BatPaC V5 puts cells at roughly 75-80 % of the pack, with 2021 material prices)."""
    result = evaluate_scenario(load_scenario(REFERENCE))
    usd = result["cost"]["usd_per_kwh"]
    assert 0.5 * DOE_PACK_ESTIMATE["usd_per_kwh"] < usd < DOE_PACK_ESTIMATE["usd_per_kwh"]
    assert result["throughput"]["gwh_per_year"] == pytest.approx(50.0, rel=0.02)  # the BatPaC baseline volume
    assert result["yield"]["overall"] == pytest.approx(0.95, abs=1e-12)            # BatPaC's final cell yield
    block = comparison({REFERENCE_SCENARIO: result})
    assert block["rows"][0]["is_reference"] and block["rows"][0]["times_reference"] == 1.0
    assert block["reference_cells_over_doe_pack"] == pytest.approx(usd / 153.0, rel=1e-12)


@pytest.mark.integration
def test_reference_runs_in_every_command(tmp_path):
    assert _cli("validate", str(REFERENCE)).returncode == 0
    done = _cli("evaluate", str(REFERENCE), "--json", str(tmp_path / "e.json"))
    assert done.returncode == 0, done.stderr
    evaluated = json.loads((tmp_path / "e.json").read_text())
    done = _cli("simulate", str(REFERENCE), "--days", "0.05", "--replications", "1", "--seed", "1",
                "--json", str(tmp_path / "s.json"))
    assert done.returncode == 0, done.stderr
    simulated = json.loads((tmp_path / "s.json").read_text())
    # the fixed cell yield in the twin too: the sheets shipped carry it exactly; in 0.05 d the ageing step (where
    # BatPaC's yield is applied) fires no load, so the yield block names it unmeasured (its 1.0 is no yield) and the
    # CLI says so
    assert simulated["yield"]["cell_piece_yield"] == pytest.approx(0.95, abs=1e-9)
    assert simulated["yield"]["unmeasured_steps"] == "ageing"
    assert "Not measured: ageing processed no sheet" in done.stdout
    done = _cli("optimise", str(REFERENCE), "--no-twin-check", "--json", str(tmp_path / "o.json"))
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "o.json").read_text())["cost"]["usd_per_kwh"] > 0
    done = _cli("report", str(REFERENCE), "--out", str(tmp_path / "report"), "--simulate-days", "0")
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "report" / "results.json").read_text())
    assert results["cost"]["usd_per_kwh"] == pytest.approx(evaluated["cost"]["usd_per_kwh"], rel=1e-12)
    assert results["reference_comparison"]["reference"] == REFERENCE_SCENARIO
    assert "Against the Li-ion reference plant" in (tmp_path / "report" / "index.html").read_text()
    # the plant's life: at a cell price below its levelised cost no investment pays back
    done = _cli("invest", str(REFERENCE), "--json", str(tmp_path / "i.json"))
    assert done.returncode == 0, done.stderr
    invested = json.loads((tmp_path / "i.json").read_text())
    assert invested["npv_usd"] > 0 and invested["levelised_usd_per_kwh"] < invested["cell_price_usd_per_kwh"]
    done = _cli("invest", str(REFERENCE), "--price", "90", "--json", str(tmp_path / "i90.json"))
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "i90.json").read_text())["npv_usd"] < 0  # below the 99.8 USD/kWh levelised


@pytest.mark.integration
def test_compare_puts_ssb_scenarios_next_to_the_reference(tmp_path):
    done = _cli("compare", "oxide_baseline", "sulphide_spray", "--out", str(tmp_path), "--json",
                str(tmp_path / "c.json"))
    assert done.returncode == 0, done.stderr
    block = json.loads((tmp_path / "c.json").read_text())
    names = [row["scenario"] for row in block["rows"]]
    assert names[0] == REFERENCE_SCENARIO and set(names) == {REFERENCE_SCENARIO, "oxide_baseline", "sulphide_spray"}
    reference_usd = block["rows"][0]["usd_per_kwh"]
    for row in block["rows"][1:]:
        assert row["times_reference"] == pytest.approx(row["usd_per_kwh"] / reference_usd, rel=1e-12)
    assert "<img" in (tmp_path / "compare.html").read_text()
    assert (tmp_path / "comparison.csv").read_text().startswith("scenario,")
    assert _cli("compare", "no_such_scenario").returncode == 2
