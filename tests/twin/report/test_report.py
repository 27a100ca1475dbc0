"""The report: self-contained HTML, results.json with the shared keys, CSV tables."""

from __future__ import annotations

import csv
import json

import pytest

from twin.report import write_report
from twin.results import missing_result_keys
from twin.scenario import load_scenario


@pytest.mark.integration
def test_report_writes_offline_html_json_and_csv(tmp_path):
    index = write_report(load_scenario("scenarios/oxide_baseline.yaml"), tmp_path, simulate_days=None)
    page = index.read_text(encoding="utf-8")
    assert "<script" not in page and "http://" not in page and "https://" not in page  # nothing fetched online
    assert page.count("data:image/png;base64,") >= 9
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert missing_result_keys(results) == []
    assert results["sensitivity"]["monte_carlo"]["p5"] <= results["sensitivity"]["monte_carlo"]["p95"]
    with (tmp_path / "cost_by_step.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = sum(float(row["total_usd_per_kwh"]) for row in rows)
    assert total == pytest.approx(results["cost"]["usd_per_kwh"], rel=1e-9)
    for name in ("yield_by_step.csv", "stations.csv", "tornado.csv", "plant_scale.csv", "plant_scale_stations.csv"):
        assert (tmp_path / name).stat().st_size > 0
    # yield_by_step.csv: the step yield in cell pieces under "yield", the sheet yield only while sheets exist
    with (tmp_path / "yield_by_step.csv").open(encoding="utf-8") as handle:
        yields = {row["step"]: row for row in csv.DictReader(handle)}
    assert list(next(iter(yields.values()))) == ["step", "yield", "sheet_yield"]
    block = results["yield"]
    assert {step: float(row["yield"]) for step, row in yields.items()} == block["piece_yield_by_step"]
    assert float(yields["cutting"]["sheet_yield"]) == block["sheet_yield_by_step"]["cutting"]
    assert all(yields[step]["sheet_yield"] == "" for step in ("stacking", "packaging", "end_of_line_test"))
    assert all(block["sheet_yield_by_step"][step] is None for step in ("stacking", "packaging", "end_of_line_test"))
    # the page reads the yields as every table writes them, the cell piece yield beside the overall
    assert (f"<div class='v'>{block['overall']:.2%}</div><div class='l'>overall yield</div>"
            f"</div><div class='kpi'><div class='v'>{block['cell_piece_yield']:.2%}</div>"
            "<div class='l'>cell piece yield (finished sheets)</div>") in page
    assert "OEE = availability x performance x quality, where quality is the station's sheet yield" in page
    # the scale curve picks machine sizes (the baseline offers them) and compares with cloning
    largest = results["plant_scale"][-1]
    assert largest["target_gwh_per_year"] == pytest.approx(50.0)
    assert largest["sizes"]["electrolyte_sintering"] == 8000
    assert largest["machines"] < largest["cloned_machines"]
    assert largest["usd_per_kwh"] <= largest["cloned_usd_per_kwh"]
    assert sum(largest["machines_by_station"].values()) == largest["machines"]
    assert "cloning the installed machines takes" in page


@pytest.mark.integration
def test_twin_yields_go_beside_evaluates_under_the_same_names():
    from twin.des import simulate
    from twin.evaluate import evaluate_scenario
    from twin.piece_yield import sheet_steps
    from twin.report.tables import yield_rows
    from twin.report.writer import twin_section

    scenario = load_scenario("scenarios/oxide_baseline.yaml")
    steady = evaluate_scenario(scenario)
    des = simulate(scenario, days=1, warmup_days=1, seed=3, workers=1)
    header, rows = yield_rows(steady, sheet_steps(scenario), des)
    assert header == ["step", "yield", "sheet_yield", "twin_yield", "twin_sheet_yield"]
    row = {r[0]: r for r in rows}
    assert row["end_of_line_test"][3] == des["yield"]["piece_yield_by_step"]["end_of_line_test"]
    assert row["cathode_spray"][4] == des["yield"]["sheet_yield_by_step"]["cathode_spray"]
    assert row["end_of_line_test"][2] is None and row["end_of_line_test"][4] is None   # no sheet after cutting
    page = twin_section(scenario, steady, des, 1.0)
    factors = (steady["yield"]["escape_factor"], des["yield"]["escape_factor"])
    assert "<td>escape factor</td><td>{:.2%}</td><td>{:.2%}</td>".format(*factors) in page   # as every table
    cell_pieces = (steady["yield"]["cell_piece_yield"], des["yield"]["cell_piece_yield"])
    assert "<td>cell piece yield (finished sheets)</td><td>{:.2%}</td><td>{:.2%}</td>".format(*cell_pieces) in page
    assert f"<td>{des['yield']['piece_yield_by_step']['end_of_line_test']:.2%}</td>" in page
