"""Report charts: funnel on the headline's basis, one spec per quality chart, measured days only."""

from __future__ import annotations

import json

import pytest

from twin.evaluate import evaluate_details, evaluate_scenario
from twin.report.funnel import DELIVERED_LABEL, piece_funnel
from twin.report.writer import build_report, measured_series, quality_charts
from twin.scenario import load_scenario


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("scenarios/oxide_baseline.yaml")


@pytest.mark.component
def test_funnel_counts_cell_pieces_and_ends_at_the_headline(baseline):
    result = evaluate_scenario(baseline)
    overall = result["yield"]["overall"]
    stages = piece_funnel(baseline, result["yield"])
    assert [name for name, _ in stages] == [s.name for s in baseline.route] + [DELIVERED_LABEL]
    shares = [share for _, share in stages]
    assert all(a >= b for a, b in zip(shares, shares[1:], strict=False))  # a funnel never grows
    assert shares[-1] == overall
    # the baseline loses ~4 % of its pieces to killer defects on kept sheets: the sheet funnel showed
    # >= 99.9 % at every step; the end-of-line test's bar takes off the pieces it rejected and their good
    # cellmates (~14 % of the pieces: its cells are rejected whole); the last bar the cells a missed bad
    # piece was stacked into (~2,200 escaped cells per million good, each latent defect's escapes booked as
    # their mean over its size law: 200 seeds 2,187 +- 42 ppm; ~0.18 % of the pieces)
    cellmates = result["yield"]["scrap_by_cause"]["cellmate_of_rejected_piece"]   # per piece started
    assert 0.1 < cellmates < 0.2
    before_test = dict(stages)["packaging"]
    assert cellmates < before_test - dict(stages)["end_of_line_test"] < cellmates + 0.02
    assert 0.0015 < shares[-2] - overall < 0.0025
    # killer defects of the sintering take ~1.5 % of the pieces on sheets that go on (a sized defect made at
    # casting is lost where a check finds it, or escapes)
    assert dict(stages)["electrolyte_sintering"] < 0.99


@pytest.mark.component
def test_one_quality_chart_per_check_spec(baseline):
    evaluation = evaluate_details(baseline)
    expected = [f"{check} {key}" for check, block in evaluation.result["quality_at_check"].items() for key in block
                if key != "inspection"]  # a check's method (resolution, POD) is a table, not a spec chart
    assert [alt for alt, _ in quality_charts(baseline, evaluation)] == expected
    assert len(expected) == 7  # electrolyte_inspection: 4 specs, cell_inspection: 2, end_of_line_test: its grade


@pytest.mark.unit
def test_conductivity_limit_is_reported_in_the_values_unit():
    """sulphide_spray's 0.1 mS/cm minimum against conductivities in S/cm: 1e-4 S/cm, not 0.1."""
    result = evaluate_scenario(load_scenario("scenarios/sulphide_spray.yaml"))
    block = result["quality_at_check"]["electrolyte_inspection"]["ionic_conductivity_S_per_cm"]
    assert block["limit"] == pytest.approx(1e-4, rel=1e-12)
    assert block["p5"] > block["limit"]  # ~1.4e-4 S/cm, in spec
    # only the sheets that wait over a plant holiday in the dry room lose that much (twin.sheet_exposure)
    assert block["out_of_spec_fraction"] < 0.01


@pytest.mark.unit
def test_throughput_series_leaves_out_the_warm_up():
    des = {"des": {"days": 3.0, "warmup_days": 2.0}, "series": {"good_cells_per_day": [0, 5, 10, 11, 12]}}
    assert measured_series(des) == [(1.0, 10.0), (2.0, 11.0), (3.0, 12.0)]
    partial = {"des": {"days": 2.0, "warmup_days": 0.5}, "series": {"good_cells_per_day": [1, 2, 3]}}
    assert measured_series(partial) == [(1.5, 2.0), (2.5, 3.0)]


@pytest.mark.component
def test_report_shows_a_given_twin_result_without_simulating(baseline):
    des = {"des": {"days": 2.0, "warmup_days": 1.0, "replications": 1, "seed": 7},
           "throughput": {"good_cells_per_day": 123.0}, "series": {"good_cells_per_day": [1.0, 2.0, 3.0]}}
    report = build_report(baseline, des_result=des, preface="<p id='job'>job</p>")
    assert "<p id='job'>job</p>" in report.page
    assert "2 measured days after 1 days of warm-up" in report.page
    # cost/funnel/stations, quality (6 specs and the end-of-line capacity grade), twin, tornado/Monte Carlo/scale,
    # investment cash flow and ramp, against the Li-ion reference plant
    assert report.page.count("data:image/png;base64,") == 3 + 7 + 1 + 3 + 2 + 1
    assert json.loads(json.dumps(report.full["des"])) == des
