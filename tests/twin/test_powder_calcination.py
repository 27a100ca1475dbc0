"""In-house garnet powder (calcination + milling) feeding the sintering through each sheet's state."""

from __future__ import annotations

import numpy as np
import pytest

from process_models import li_loss, powder_synthesis
from process_models.parameters import load_material
from twin.capacity import station_timing
from twin.cost.materials import step_material_items_per_sheet
from twin.evaluate import evaluate_scenario, sample_route
from twin.operations.calcination import calcination_profile, powder_kg_per_sheet_equivalent
from twin.scenario import ScenarioError, load_scenario
from twin.sheet_batch import CAUSE_INDEX

SCENARIO = "scenarios/oxide_powder_inhouse.yaml"


def _sample(overrides=None, sheets=300):
    scenario = load_scenario(SCENARIO, overrides or {})
    return scenario, sample_route(scenario, np.random.default_rng(3), sheets=sheets)


@pytest.mark.integration
def test_sintering_takes_the_particle_size_from_the_powder_step():
    _, base = _sample()
    # the recipe's particle size is not used when the powder step made the powder
    _, recipe_changed = _sample({"route.electrolyte_sintering.particle_size_um": 5.0})
    np.testing.assert_array_equal(base.state["relative_density"], recipe_changed.state["relative_density"])
    # a shorter milling leaves coarser powder, which sinters less dense on the same profile
    _, coarse = _sample({"route.powder_milling.milling_time_h": 0.1})
    assert np.nanmean(coarse.state["electrolyte_powder_particle_size_m"]) > \
        2 * np.nanmean(base.state["electrolyte_powder_particle_size_m"])
    assert np.nanmean(coarse.state["relative_density"]) < np.nanmean(base.state["relative_density"]) - 0.03


@pytest.mark.integration
def test_milled_size_is_rittinger_of_the_calcined_size():
    scenario, batch = _sample({"variation.furnace_sheet_sd_K": 0.0})
    milling = next(s for s in scenario.route if s.name == "powder_milling")
    energy = milling.specific_power_W_per_kg * milling.milling_time_h * 3600.0
    size = batch.state["electrolyte_powder_particle_size_m"]
    calcined = 1.0 / (1.0 / size - energy / powder_synthesis.RITTINGER_CONSTANT_J_M_PER_KG)
    assert calcined.min() > 1.0e-6  # the cake coarsened from the 1 um precursor mix before milling
    np.testing.assert_allclose(calcined, calcined[0], rtol=1e-9)


@pytest.mark.integration
def test_precursor_li_excess_reaches_the_fired_layer():
    scenario, batch = _sample({"variation.furnace_sheet_sd_K": 0.0, "variation.li_excess_sd_wt_fraction": 0.0})
    material = load_material("llzo_ta")
    step = scenario.route[0]
    lost = li_loss.li_loss_per_formula_unit(calcination_profile(step), step.powder_bed_depth_mm * 1e-3, 1, 0.4,
                                            material)
    expected = 0.10 * material["nominal_li_pfu"] - lost
    np.testing.assert_allclose(batch.state["electrolyte_powder_li_excess_pfu"], expected, rtol=1e-9)
    # less Li2CO3 in the precursor: less Li in the fired layer, by the same pfu
    _, leaner = _sample({"variation.furnace_sheet_sd_K": 0.0, "variation.li_excess_sd_wt_fraction": 0.0,
                         "route.powder_calcination.li2co3_excess_wt_fraction": 0.0})
    alive = batch.alive & leaner.alive
    delta = batch.state["li_content_pfu"][alive] - leaner.state["li_content_pfu"][alive]
    assert delta.min() > 0.5 * expected and delta.max() < 1.01 * expected


@pytest.mark.integration
def test_a_cold_calcination_scraps_its_lots_for_incomplete_reaction():
    _, batch = _sample({"route.powder_calcination.profile[0].temperature_C": 700})
    assert not batch.alive.any()
    assert np.all(batch.scrap_cause == CAUSE_INDEX["incomplete_calcination"])
    assert np.all(batch.scrap_step == 0)


@pytest.mark.component
def test_lots_in_kg_follow_from_sheet_equivalents_and_energy_from_the_mill_power():
    scenario = load_scenario(SCENARIO)
    per_sheet_kg = powder_kg_per_sheet_equivalent(scenario, 0, "electrolyte", 0.03)
    assert 0.004 < per_sheet_kg < 0.006  # 15 um fired LLZTO on a 0.06 m2 sheet + edge strip, over 3 % loss
    milling = station_timing(scenario, "powder_milling")
    load_kg = 16000 * per_sheet_kg
    assert milling.unit_energy_kWh == pytest.approx(150.0 * load_kg * 2 * 3600 / 3.6e6, rel=1e-12)
    # the calcination kiln's energy is more than its empty-kiln heat balance: the charge and Li2CO3 take heat
    empty = load_scenario(SCENARIO, {"route.powder_calcination.li2co3_excess_wt_fraction": 0.0})
    assert station_timing(scenario, "powder_calcination").unit_energy_kWh > \
        station_timing(empty, "powder_calcination").unit_energy_kWh


@pytest.mark.component
def test_the_casting_buys_no_garnet_powder_when_it_is_made_in_house():
    scenario = load_scenario(SCENARIO)
    assert "llzo_ta" not in step_material_items_per_sheet(scenario, "electrolyte_casting")
    items = step_material_items_per_sheet(scenario, "powder_calcination")
    assert set(items) == {"li2co3", "garnet_oxide_precursors"}
    baseline = load_scenario("scenarios/oxide_baseline.yaml")
    assert "llzo_ta" in step_material_items_per_sheet(baseline, "electrolyte_casting")


@pytest.mark.integration
def test_scenario_evaluates_with_the_powder_steps():
    result = evaluate_scenario(load_scenario(SCENARIO))
    assert result["yield"]["overall"] > 0.9
    assert result["cost"]["usd_per_kwh"] > 0


@pytest.mark.component
@pytest.mark.parametrize(("overrides", "message"), [
    ({"route.electrolyte_sintering.powder_route": "flame_spray_nano"}, "set powder_route: calcined"),
    ({"route.powder_calcination.profile[0].temperature_C": 1350}, "above 1300 C"),
    ({"line.stations.powder_milling.kind": "discrete", "line.stations.powder_milling.cycle_time_s": 10},
     "cannot carry out a powder_milling step"),
])
def test_bad_powder_recipes_name_the_field(overrides, message):
    with pytest.raises(ScenarioError, match=message):
        load_scenario(SCENARIO, overrides)
