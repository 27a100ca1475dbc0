"""The investment case of a library scenario: learning runs through the twin's physics and plant model."""

from __future__ import annotations

import pytest

from twin.cost.cashflow import npv
from twin.cost.investment import investment_case
from twin.evaluate import evaluate_details
from twin.scenario import ScenarioError, apply_overrides, read_scenario_document, validate_scenario

BASELINE = "scenarios/oxide_baseline.yaml"


@pytest.fixture(scope="module")
def baseline_case():
    scenario = validate_scenario(read_scenario_document(BASELINE))
    return scenario, investment_case(scenario)


@pytest.mark.component
def test_ramp_starts_at_the_start_factors_and_learns_down_to_steady_state(baseline_case):
    scenario, case = baseline_case
    learning = scenario.investment.learning
    periods = case["periods"]
    assert periods[0]["factors"] == {"variation": learning.variation_start_factor,
                                     "defect_density": learning.defect_density_start_factor,
                                     "mttr": learning.mttr_start_factor, "mtbf": learning.mtbf_start_factor}
    # one doubling of cumulative output after the first period: x (1 - learning rate)
    assert periods[1]["factors"]["defect_density"] == pytest.approx(
        learning.defect_density_start_factor * (1 - learning.learning_rate), rel=1e-9)
    for name in periods[0]["factors"]:
        series = [p["factors"][name] for p in periods]
        assert all(a >= b for a, b in zip(series, series[1:], strict=False))
    # worse inputs at the start: the physics scraps more and the plant is down more
    steady = evaluate_details(scenario).result
    assert periods[0]["overall_yield"] < steady["yield"]["overall"]
    assert periods[0]["bottleneck_oee"] < steady["stations"][steady["bottleneck"]]["oee"]
    assert sum(p["length_years"] for p in periods) == pytest.approx(scenario.investment.operating_years)


@pytest.mark.component
def test_npv_is_the_discounted_sum_of_the_years_it_reports(baseline_case):
    scenario, case = baseline_case
    years = case["years"]
    assert len(years) == scenario.investment.construction_years + scenario.investment.operating_years
    flows = [y["net_cash_flow_usd"] for y in years]
    assert case["npv_usd"] == pytest.approx(npv(case["discount_rate"], flows), rel=1e-12)
    assert sum(y["capex_usd"] for y in years) == pytest.approx(case["capex_usd"], rel=1e-12)
    assert case["capex_usd"] == pytest.approx(evaluate_details(scenario).cost.capex_usd, rel=1e-12)
    assert npv(case["irr"], flows) == pytest.approx(0.0, abs=1e-3 * case["capex_usd"])
    assert years[0]["kwh"] == 0 and years[-1]["kwh"] > 0


@pytest.mark.component
def test_without_learning_every_operating_year_is_the_steady_evaluation():
    document = apply_overrides(read_scenario_document(BASELINE), {"investment.learning": None})
    scenario = validate_scenario(document)
    case = investment_case(scenario)
    evaluation = evaluate_details(scenario)
    for year in case["years"][scenario.investment.construction_years:]:
        assert year["kwh"] == pytest.approx(evaluation.flow.operation.kwh_per_year, rel=1e-12)
        assert year["usd_per_kwh"] == pytest.approx(evaluation.cost.usd_per_kwh, rel=1e-12)
        assert year["revenue_usd"] == pytest.approx(year["kwh"] * scenario.investment.cell_price_usd_per_kwh)


@pytest.mark.unit
def test_capex_schedule_must_match_the_construction_years():
    document = apply_overrides(read_scenario_document(BASELINE), {"investment.capex_schedule": [0.5, 0.3]})
    with pytest.raises(ScenarioError, match="add up to 0.8"):
        validate_scenario(document)
    document = apply_overrides(read_scenario_document(BASELINE), {"investment.construction_years": 3})
    with pytest.raises(ScenarioError, match="one share per construction year"):
        validate_scenario(document)
