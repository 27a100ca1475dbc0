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


DIRECT_CATEGORIES = ("materials", "energy", "labour", "capital", "building", "maintenance")


def _electrolyte_layer_usd_per_m2_by_category(target_GWh: float) -> tuple[dict[str, float], float]:
    scenario = _ten_micron_variant()
    evaluation = evaluate_details(scenario)
    flow = sized_line_flow(scenario, evaluation.flow.step_yield, target_GWh)
    cost = annual_cost(flow.operation)
    good_m2 = flow.operation.sheets_good_out_per_year["electrolyte_inspection"] * scenario.sheet_area_m2
    categories: dict[str, float] = {}
    for step in ELECTROLYTE_STEPS:
        for category, usd in cost.by_step_category[step].items():
            categories[category] = categories.get(category, 0.0) + float(usd) / good_m2
    thickness_um = evaluation.batch.state["electrolyte_thickness_m"][evaluation.batch.alive].mean() * 1e6
    return categories, thickness_um


@pytest.mark.integration
def test_ten_micron_tape_cast_llzo_layer_below_roadmap_10_usd_per_m2_at_industrial_scale():
    # Roadmap §15 quotes a production cost (< $10/m2 for a 10 um tape-cast LLZO layer at industrial
    # scale), so the comparison is on direct manufacturing cost: materials, energy, labour, capital,
    # building and maintenance. BatPaC's corporate overheads (GSA, R&D, launch, warranty) come on top
    # and are reported, not compared. Industrial scale: the line sized for 10 GWh/yr.
    categories, thickness_um = _electrolyte_layer_usd_per_m2_by_category(10.0)
    assert thickness_um == pytest.approx(10.0, rel=0.05)
    direct = math.fsum(categories[c] for c in DIRECT_CATEGORIES)
    assert direct < 10.0
    # and not trivially cheap: the kiln, powder and labour alone cost several dollars per m2
    assert direct > 3.0
    full = math.fsum(categories.values())
    assert full > direct
