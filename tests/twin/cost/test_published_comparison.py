"""The baseline against published cost figures.

Source: 2020 SSB roadmap (Pasta et al., J. Phys. Energy 2 032008), §15: tape casting makes 10 um LLZO
layers "with a cost of <$10 m-2 for industrial production".
"""

from __future__ import annotations

import math

import pytest

from twin.cost import annual_cost
from twin.cost.line_flow import sized_line_flow
from twin.evaluate import evaluate_details
from twin.scenario import apply_overrides, read_scenario_document, validate_scenario

ELECTROLYTE_STEPS = ("electrolyte_casting", "electrolyte_drying", "electrolyte_sintering", "electrolyte_inspection")


def _ten_micron_variant():
    # Blade gap 150 -> 99 um takes the Chou-model tape from 15.1 to 10 um fired (checked below).
    document = apply_overrides(read_scenario_document("scenarios/oxide_baseline.yaml"),
                               {"route.electrolyte_casting.blade_gap_um": 99, "cell.electrolyte.thickness_um": 10})
    return validate_scenario(document)


def _electrolyte_layer_usd_per_m2(target_GWh: float) -> tuple[float, float]:
    scenario = _ten_micron_variant()
    evaluation = evaluate_details(scenario)
    flow = sized_line_flow(scenario, evaluation.flow.step_yield, target_GWh)
    cost = annual_cost(flow.operation)
    good_m2 = flow.operation.sheets_good_out_per_year["electrolyte_inspection"] * scenario.sheet_area_m2
    layer_cost = math.fsum(cost.by_step_usd_per_year[s] for s in ELECTROLYTE_STEPS)
    thickness_um = evaluation.batch.state["electrolyte_thickness_m"][evaluation.batch.alive].mean() * 1e6
    return layer_cost / good_m2, thickness_um


@pytest.mark.xfail(strict=True, reason=(
    "baseline inputs give ~14.8 USD/m2 at 10 GWh/yr: LLZO powder + sacrificial cover powder ~5 USD/m2 "
    "(cover powder 0.2 kg/m2 at 50 USD/kg, 5 reuses = 2 USD/m2), BatPaC corporate overheads ~3.7 USD/m2 "
    "(GSA, R&D, warranty; the roadmap figure is a production cost), kiln capital ~2.7 USD/m2; see the "
    "issue-5 report. Remove the xfail when the inputs are revised."))
@pytest.mark.integration
def test_ten_micron_tape_cast_llzo_layer_below_roadmap_10_usd_per_m2_at_industrial_scale():
    usd_per_m2, thickness_um = _electrolyte_layer_usd_per_m2(10.0)
    assert thickness_um == pytest.approx(10.0, rel=0.05)
    assert usd_per_m2 < 10.0
