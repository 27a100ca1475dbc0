"""Catholyte fill of a hybrid cell in a scenario: fill cost, wetting time, SLEI feeding delivered capacity."""

from __future__ import annotations

import pytest

from twin.capacity import station_timing
from twin.cost.materials import step_material_items_per_sheet
from twin.evaluate import evaluate_scenario
from twin.operations.catholyte_fill import design_porosity
from twin.scenario import apply_overrides, load_scenario, read_scenario_document, validate_scenario
from twin.scenario.errors import ScenarioError

PATH = "scenarios/oxide_hybrid.yaml"


def _scenario(**overrides):
    return validate_scenario(apply_overrides(read_scenario_document(PATH), overrides))


def _delivered(result):
    return result["cell"]["delivered_capacity_mAh_per_cm2"]["mean"]


@pytest.mark.component
def test_fill_chamber_holds_a_load_for_the_fill_and_the_wetting_soak():
    timing = station_timing(load_scenario(PATH), "catholyte_fill")
    assert timing.unit_process_time_s == pytest.approx(60.0 + 2 * 3600.0, rel=1e-12)
    assert timing.unit_energy_kWh == pytest.approx(5.0 * (60.0 + 7200.0) / 3600.0, rel=1e-12)


@pytest.mark.component
def test_fill_cost_is_the_design_pore_volume_plus_excess_at_the_catholyte_price():
    scenario = load_scenario(PATH)
    # 150 um of 60 vol% LCO at full density holds ~6.3 mAh/cm2; the 3.5 mAh/cm2 design leaves ~45 % pores
    porosity = design_porosity(scenario)
    assert porosity == pytest.approx(0.45, abs=0.01)
    kg = porosity * 150e-6 * 1.1 * (2 * 0.190 * 0.140) * 1300.0
    items = step_material_items_per_sheet(scenario, "catholyte_fill")
    assert items["catholyte"] == pytest.approx(kg * 12.0, rel=1e-12)


@pytest.mark.integration
def test_a_worse_slei_lowers_the_delivered_capacity():
    good = evaluate_scenario(_scenario())
    bad = evaluate_scenario(_scenario(**{"route.catholyte_fill.slei_initial_asr_ohm_cm2": 1000}))   # roadmap s9 top
    assert _delivered(bad) < _delivered(good)
    assert good["cost"]["by_step"]["catholyte_fill"] > 0


@pytest.mark.integration
def test_a_longer_slei_age_raises_resistance_and_lowers_delivery():
    young = evaluate_scenario(_scenario(**{"route.catholyte_fill.slei_age_h": 0}))
    old = evaluate_scenario(_scenario(**{"route.catholyte_fill.slei_age_h": 24 * 30}))
    assert _delivered(old) < _delivered(young)


@pytest.mark.integration
def test_too_short_a_soak_leaves_the_cell_part_dry_and_costs_capacity():
    soaked = evaluate_scenario(_scenario())
    rushed = evaluate_scenario(_scenario(**{"route.catholyte_fill.wetting_time_h": 0.1}))
    assert _delivered(rushed) < _delivered(soaked)


@pytest.mark.integration
def test_the_hybrid_delivers_less_than_its_made_capacity_through_its_catholyte_side():
    result = evaluate_scenario(_scenario())
    no_slei = evaluate_scenario(_scenario(**{"route.catholyte_fill.slei_initial_asr_ohm_cm2": 0}))
    assert _delivered(result) < _delivered(no_slei) <= result["cell"]["made_capacity_mAh_per_cm2"]["mean"]


@pytest.mark.component
def test_a_missing_catholyte_price_names_the_field():
    document = read_scenario_document(PATH)
    del document["costs"]["materials"]["usd_per_kg"]["catholyte"]
    with pytest.raises(ScenarioError, match="costs.materials.usd_per_kg.catholyte"):
        evaluate_scenario(validate_scenario(document))


@pytest.mark.component
def test_a_non_wetting_contact_angle_is_refused_at_load():
    with pytest.raises(ScenarioError, match="contact_angle_deg"):
        _scenario(**{"route.catholyte_fill.contact_angle_deg": 90})


@pytest.mark.component
def test_sheets_without_a_cathode_get_no_catholyte_resistance():
    import numpy as np

    from twin.operations import operation_for
    from twin.sheet_batch import SheetBatch

    scenario = load_scenario(PATH)
    index = next(i for i, s in enumerate(scenario.route) if s.name == "catholyte_fill")
    batch = SheetBatch.new(3)
    batch.state["cathode_relative_density"][:] = [0.55, np.nan, 0.6]
    batch.state["cathode_thickness_m"][:] = [150e-6, np.nan, 140e-6]
    conditions = {"slei_factor": np.ones(3)}
    operation_for(scenario.route[index]).apply(scenario, scenario.route[index], index, batch, conditions,
                                               np.arange(3))
    asr = batch.state["catholyte_asr_ohm_m2"]
    assert np.isnan(asr[1]) and np.all(asr[[0, 2]] > 0)
