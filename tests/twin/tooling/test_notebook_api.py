"""``import twin; r = twin.evaluate(...)``: the notebook API returns the shared keys, tables and reports."""

from __future__ import annotations

import subprocess
import sys

import pytest

import twin
from twin.evaluate import evaluate_scenario
from twin.results import missing_result_keys
from twin.scenario import ScenarioError, load_scenario

COVER = "route.electrolyte_sintering.cover_powder"


@pytest.mark.integration
def test_twin_evaluate_equals_the_entry_point_with_the_same_overrides(tmp_path):
    r = twin.evaluate("oxide_baseline", overrides={COVER: False})
    direct = evaluate_scenario(load_scenario("scenarios/oxide_baseline.yaml", overrides={COVER: False}))
    assert missing_result_keys(dict(r)) == []
    assert r["cost"]["usd_per_kwh"] == direct["cost"]["usd_per_kwh"]
    assert r["yield"] == direct["yield"]
    steps = r.to_frame()
    assert list(steps.index) == [step.name for step in r.scenario.route]
    # the yield in good cell pieces first, the sheet yield beside it
    assert list(steps.columns[:2]) == ["yield", "sheet_yield"]
    assert steps["yield"].prod() * direct["yield"]["escape_factor"] == pytest.approx(direct["yield"]["overall"],
                                                                                      rel=1e-12)
    assert steps.loc[r["bottleneck"], "utilization"] == direct["stations"][r["bottleneck"]]["utilization"]
    assert steps["usd_per_kwh"].sum() == pytest.approx(direct["cost"]["usd_per_kwh"], rel=1e-9)
    assert steps["machines"].dtype.kind == "i"
    assert r.to_frame("summary").loc[0, "overall_yield"] == direct["yield"]["overall"]
    assert set(r.to_frame("quality_at_check")["check"]) == {"electrolyte_inspection", "cell_inspection",
                                                            "end_of_line_test"}
    index = r.report(tmp_path / "rep")
    assert index.name == "index.html" and "data:image/png;base64," in index.read_text(encoding="utf-8")
    assert (tmp_path / "rep" / "results.json").is_file()


@pytest.mark.unit
def test_twin_evaluate_takes_a_path_and_names_unknown_scenarios():
    assert twin.evaluate("scenarios/pilot_line.yaml")["scenario"] == "pilot_line"
    with pytest.raises(ScenarioError, match="'no_such_plant' is neither a file nor a library scenario"):
        twin.evaluate("no_such_plant")
    with pytest.raises(ValueError, match="table: 'nope' is not one of steps"):
        twin.evaluate("oxide_baseline").to_frame("nope")


@pytest.mark.unit
def test_import_twin_stays_light():
    code = "import sys, twin; print(sorted(m for m in ('twin.evaluate', 'numpy', 'pandas') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.integration
def test_twin_simulate_result_reports_its_own_run(tmp_path):
    r = twin.simulate("oxide_baseline", days=0.5, seed=3, workers=1)
    assert r.kind == "simulate" and r["des"]["days"] == 0.5
    page = r.report(tmp_path).read_text(encoding="utf-8")
    assert "0.5 measured days after" in page
