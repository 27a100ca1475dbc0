"""Inspection methods compared at the plant's target: a line's surplus over it never makes a method cheaper."""

from __future__ import annotations

import math

import pytest

from twin.commands.optimise_inspection import overshoot_notes
from twin.cost import step_variable_cost_per_sheet
from twin.evaluate import evaluate_details
from twin.optimise.inspection_choice import _pick
from twin.optimise.target_cost import TargetCost, cost_at_target
from twin.scenario import load_scenario

TARGET_GWH = 0.18


def _row(name: str, line: TargetCost) -> dict:
    """A trial row as twin.optimise.inspection_choice builds it, from a line's fixed and variable cost."""
    return {"check": "cell_inspection", "method": "xray_2d", "resolution_key": "pixel_um", "resolution": name,
            "capex_usd_per_machine": 1e6, "usd_per_kwh": (line.fixed_usd_per_year + line.variable_usd_per_year)
            / line.own_kwh_per_year, "gwh_per_year": line.own_kwh_per_year / 1e6, "meets_target": True,
            "capex_usd": 80e6, "chosen": False, "usd_per_kwh_at_target": line.usd_per_kwh_at_target,
            "surplus_fraction": line.surplus_fraction}


@pytest.mark.unit
def test_the_overshooting_method_cheaper_per_own_kwh_but_dearer_at_the_target_is_not_chosen():
    # A's whole machines make 0.21 GWh/yr for a 0.18 target: 117 M USD/yr over 210,000 kWh reads 557.14 USD/kWh,
    # but the target's cells cost 54 M fixed / 180,000 kWh + 63 M x (180/210) / 180,000 kWh = 300 + 300 = 600.
    # B's line makes the target exactly: 104 M USD/yr / 180,000 kWh = 577.78 USD/kWh either way.
    overshooting = TargetCost(54e6, 63e6, own_kwh_per_year=210_000.0, target_kwh_per_year=180_000.0)
    at_target = TargetCost(50e6, 54e6, own_kwh_per_year=180_000.0, target_kwh_per_year=180_000.0)
    assert overshooting.usd_per_kwh_at_target == pytest.approx(600.0, rel=1e-12)
    assert at_target.usd_per_kwh_at_target == pytest.approx(104e6 / 180_000.0, rel=1e-12)
    a, b = _row("50", overshooting), _row("25", at_target)
    assert a["usd_per_kwh"] == pytest.approx(117e6 / 210_000.0, rel=1e-12) and a["usd_per_kwh"] < b["usd_per_kwh"]
    assert _pick([("line A", a), ("line B", b)], TARGET_GWH) == "line B"
    assert b["chosen"] and not a["chosen"]
    assert a["cheaper_only_by_overshoot"] and "cheaper_only_by_overshoot" not in b
    (note,) = overshoot_notes({"inspection_methods": [a, b]})
    assert "X-ray 50 um px is the cheapest per kWh of its own line's output (557.1 USD/kWh)" in note
    assert "16.7% more than the target" in note and "600.0 and X-ray 25 um px 577.8 USD/kWh" in note


@pytest.mark.unit
def test_without_overshoot_the_cheaper_line_wins_and_nothing_is_said():
    # both lines make the target: the cost at the target is each one's own cost, the cheaper is chosen
    a = _row("50", TargetCost(50e6, 54e6, own_kwh_per_year=180_000.0, target_kwh_per_year=180_000.0))
    b = _row("25", TargetCost(51e6, 54e6, own_kwh_per_year=180_000.0, target_kwh_per_year=180_000.0))
    assert _pick([("A", a), ("B", b)], TARGET_GWH) == "A"
    assert overshoot_notes({"inspection_methods": [a, b]}) == []


@pytest.mark.unit
def test_a_line_short_of_the_target_is_priced_at_its_own_output():
    # it cannot make more: spreading its fixed cost over the target's cells would read a shortfall as cheap
    short = TargetCost(50e6, 40e6, own_kwh_per_year=150_000.0, target_kwh_per_year=180_000.0)
    assert short.usd_per_kwh_at_target == pytest.approx(90e6 / 150_000.0, rel=1e-12)
    assert short.surplus_fraction == pytest.approx(-1.0 / 6.0, rel=1e-12)
    assert TargetCost(50e6, 40e6, own_kwh_per_year=0.0, target_kwh_per_year=180_000.0).usd_per_kwh_at_target is None


@pytest.mark.component
def test_the_fixed_part_is_what_no_sheet_pays_and_the_rest_goes_with_the_sheets():
    evaluation = evaluate_details(load_scenario("scenarios/oxide_baseline.yaml"))
    scenario, operation, cost = evaluation.scenario, evaluation.flow.operation, evaluation.cost
    line = cost_at_target(evaluation, scenario.plant.target_output_GWh_per_year)
    # twin.cost.annual_cost: sheets entering x variable cost per sheet, the escapes shipped, less the recycling
    # credit of the scrap; all of it scales with the sheets run
    by_sheets = math.fsum(operation.sheets_in_per_year[step.name] * math.fsum(
        step_variable_cost_per_sheet(scenario, step.name).values()) for step in scenario.route)
    escapes = math.fsum(costs.get("escapes", 0.0) for costs in cost.by_step_category.values())
    credit = math.fsum(cost.recycling_credit_usd_per_year.values())
    assert line.variable_usd_per_year == pytest.approx(by_sheets + escapes - credit, rel=1e-9)
    assert line.fixed_usd_per_year > 0 and line.variable_usd_per_year > 0
    # asked for exactly what it makes, the line costs what evaluate says; asked for half, its fixed cost
    # is spread over half the cells
    own_gwh = cost.kwh_per_year / 1e6
    assert cost_at_target(evaluation, own_gwh).usd_per_kwh_at_target == pytest.approx(cost.usd_per_kwh, rel=1e-12)
    half = cost_at_target(evaluation, own_gwh / 2)
    assert half.usd_per_kwh_at_target == pytest.approx(
        2 * line.fixed_usd_per_year / cost.kwh_per_year + line.variable_usd_per_year / cost.kwh_per_year, rel=1e-12)
