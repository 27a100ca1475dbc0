"""The Li-ion steps: slurry mixing (batch mixer), electrolyte filling (liquid ASR and fill), vacuum drying, the
Li-ion cell's delivered energy through the one definition (twin.cell_output), and where the steps may stand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from process_models import liquid_electrolyte, slurry_mixing
from process_models.cell_delivery import rate_limited_delivery
from twin.capacity import station_timing
from twin.cost.materials import layer_powder_kg_per_sheet, step_material_items_per_sheet
from twin.evaluate import evaluate_scenario
from twin.operations.slurry_mixing import anode_graphite_kg_per_m2
from twin.scenario import apply_overrides, load_scenario, read_scenario_document, validate_scenario
from twin.scenario.errors import ScenarioError

LIION = "scenarios/liion_batpac_reference.yaml"
INHOUSE = "scenarios/oxide_powder_inhouse.yaml"


def _liion(**overrides):
    return validate_scenario(apply_overrides(read_scenario_document(LIION), overrides))


@pytest.mark.unit
def test_bruggeman_separator_and_electrode_asr():
    # 18 um separator at porosity 0.5 in a 9 mS/cm liquid: 18e-6 / (0.9 x 0.5^1.5) = 5.657e-5 ohm m2
    assert float(liquid_electrolyte.separator_asr_ohm_m2(18e-6, 0.5, 0.9)) == pytest.approx(
        18e-6 / (0.9 * 0.5 ** 1.5), rel=1e-12)
    # a porous electrode at uniform reaction: a third of the same resistance (Newman & Tobias 1962)
    assert float(liquid_electrolyte.porous_electrode_asr_ohm_m2(80e-6, 0.3, 0.9)) == pytest.approx(
        80e-6 / (0.9 * 0.3 ** 1.5) / 3.0, rel=1e-12)
    more_porous = liquid_electrolyte.separator_asr_ohm_m2(18e-6, np.array([0.3, 0.5, 0.7]), 0.9)
    assert np.all(np.diff(more_porous) < 0)  # more pore space conducts better
    with pytest.raises(ValueError, match="porosity"):
        liquid_electrolyte.effective_conductivity_S_per_m(0.9, 1.5)


@pytest.mark.unit
def test_fill_volume_is_the_open_pores_plus_excess():
    volume = liquid_electrolyte.fill_volume_m3_per_m2(80e-6, 0.3, 18e-6, 0.5, 100e-6, 0.3, 0.1)
    assert float(volume) == pytest.approx((24e-6 + 9e-6 + 30e-6) * 1.1, rel=1e-12)


@pytest.mark.unit
def test_slurry_mixing_physics():
    assert float(slurry_mixing.slurry_kg(6.76, 0.676)) == pytest.approx(10.0, rel=1e-12)
    assert list(slurry_mixing.mixer_batches([1.0, 2000.0, 2000.5], 2000.0)) == [1.0, 1.0, 2.0]
    assert float(slurry_mixing.mixing_energy_kWh(2000.0, 0.05)) == pytest.approx(100.0, rel=1e-12)
    assert float(slurry_mixing.bought_per_used(0.02)) == pytest.approx(1.0 / 0.98, rel=1e-12)
    with pytest.raises(ValueError, match="solids_mass_fraction"):
        slurry_mixing.slurry_kg(1.0, 0.0)


@pytest.mark.component
def test_mixer_runs_whole_batches_and_draws_its_specific_energy():
    scenario = load_scenario(LIION)
    step = scenario.step("cathode_mixing")
    station = scenario.line.stations["cathode_mixing"]
    index = [s.name for s in scenario.route].index("electrode_coating")
    load_kg = layer_powder_kg_per_sheet(scenario, "cathode", index + 1) / step.solids_mass_fraction \
        * station.batch_capacity_sheets
    batches = math.ceil(load_kg / step.batch_size_kg)
    timing = station_timing(scenario, "cathode_mixing")
    assert timing.unit_process_time_s == pytest.approx(batches * 60 * 60.0, rel=1e-12)
    assert timing.unit_energy_kWh == pytest.approx(0.05 * load_kg + 20.0 * batches * 1.0, rel=1e-12)


@pytest.mark.component
def test_slurry_lost_in_the_mixer_is_bought_on_top_of_what_is_coated():
    scenario = load_scenario(INHOUSE)
    coated = step_material_items_per_sheet(scenario, "electrolyte_casting")
    lost = step_material_items_per_sheet(scenario, "electrolyte_slurry_mixing")
    assert set(lost) == {f"{name}_mixing_loss" for name in coated}
    for name, usd in coated.items():
        assert lost[f"{name}_mixing_loss"] == pytest.approx(usd * 0.02 / 0.98, rel=1e-12)


@pytest.mark.component
def test_anode_slurry_carries_the_graphite_the_n_to_p_ratio_needs():
    scenario = load_scenario(LIION)
    # 4.785 mAh/cm2 x N/P 1.17 / 360 mAh/g graphite = 15.55 mg/cm2
    assert anode_graphite_kg_per_m2(scenario) == pytest.approx(4.785 * 10 * 1.17 / 360.0, rel=1e-12)
    items = step_material_items_per_sheet(scenario, "anode_mixing")
    graphite_kg = anode_graphite_kg_per_m2(scenario) * scenario.sheet_area_m2
    assert items["graphite"] == pytest.approx(graphite_kg * 10.0, rel=1e-12)
    assert items["anode_binder"] == pytest.approx(graphite_kg * 0.04 * 10.0, rel=1e-12)


@pytest.mark.component
def test_vacuum_oven_holds_its_load_for_the_drying_time():
    timing = station_timing(load_scenario(LIION), "vacuum_drying")
    assert timing.unit_process_time_s == pytest.approx(8 * 3600.0, rel=1e-12)
    assert timing.unit_energy_kWh == pytest.approx(60.0 * 8, rel=1e-12)


@pytest.mark.integration
def test_liion_cell_delivers_through_the_one_definition():
    """Delivered capacity = made capacity x the rate-limited fraction over separator + pore + charge-transfer ASR."""
    result = evaluate_scenario(load_scenario(LIION))
    asr = 18e-6 / (0.9 * 0.5 ** 1.5) + 80e-6 / (0.9 * 0.3 ** 1.5) / 3.0 + 15e-4
    made = result["cell"]["made_capacity_mAh_per_cm2"]["mean"]
    fraction, _ = rate_limited_delivery(made, asr, 0.3333, 3.65, 3.0)
    assert result["cell"]["delivered_capacity_mAh_per_cm2"]["mean"] == pytest.approx(made * float(fraction),
                                                                                   rel=2e-3)
    assert made == pytest.approx(4.785, rel=0.01)  # the coat holds the BatPaC baseline loading
    assert result["quality"]["electrolyte_asr_ohm_cm2"]["mean"] == pytest.approx(18e-6 / (0.9 * 0.5 ** 1.5) * 1e4,
                                                                                 rel=1e-9)
    # the fixed cell yield removes exactly 5 % of the pieces; no physics scrap on this line
    assert result["yield"]["overall"] == pytest.approx(0.95, abs=1e-12)
    # a 250 Wh cell made, ~245 Wh delivered at C/3; 150-300 Wh/kg for a large NMC811/graphite pouch
    assert result["cell"]["design_cell_energy_wh"] == pytest.approx(4.785 * 10 * 1.43616 * 3.65, rel=1e-12)
    assert 150.0 < result["cell"]["specific_energy_wh_per_kg"] < 320.0


@pytest.mark.integration
def test_a_more_resistive_electrolyte_delivers_less():
    good = evaluate_scenario(_liion())
    poor = evaluate_scenario(_liion(**{"route.electrolyte_filling.charge_transfer_asr_ohm_cm2": 80}))
    assert poor["cell"]["delivered_cell_energy_wh"] < good["cell"]["delivered_cell_energy_wh"]
    assert poor["cost"]["usd_per_kwh"] > good["cost"]["usd_per_kwh"]


@pytest.mark.unit
def test_steps_stand_where_they_can_work():
    document = read_scenario_document(LIION)
    route = document["route"]
    route.insert(3, route.pop(0))  # the cathode slurry after the coater
    with pytest.raises(ScenarioError, match="no step after 'cathode_mixing' casts or sprays the cathode"):
        validate_scenario(document)
    oxide = read_scenario_document(INHOUSE)
    oxide["route"].append(dict(read_scenario_document(LIION)["route"][9]))
    oxide["line"]["stations"]["electrolyte_filling"] = read_scenario_document(LIION)["line"]["stations"][
        "electrolyte_filling"]
    with pytest.raises(ScenarioError, match="electrolyte_filling: the cell's electrolyte 'llzo_ta' is not a liquid"):
        validate_scenario(oxide)
    no_fill = read_scenario_document(LIION)
    no_fill["route"] = [s for s in no_fill["route"] if s["kind"] != "electrolyte_filling"]
    no_fill["line"]["stations"].pop("electrolyte_filling")
    no_fill["batpac"]["processes"].pop("electrolyte_filling_and_sealing")
    no_fill["batpac"]["fixed_yields"]["materials"].pop("electrolyte_filling")
    with pytest.raises(ScenarioError, match="needs an electrolyte_filling step"):
        validate_scenario(no_fill)
    with pytest.raises(ScenarioError, match="n_to_p_ratio"):
        _liion(**{"cell.anode.n_to_p_ratio": None})
    with pytest.raises(ScenarioError, match="'plant'"):
        _liion(**{"batpac.processes.warehouse.station": "nowhere"})


def _moved_first(name: str) -> dict:
    document = read_scenario_document(LIION)
    route = document["route"]
    route.insert(0, route.pop([step["name"] for step in route].index(name)))
    return document


@pytest.mark.unit
def test_filling_before_the_electrode_is_coated_names_the_step_order():
    # it used to pass validation and fail in evaluate with "porosity=0 is outside (0, 1]" (no field, no order)
    with pytest.raises(ScenarioError, match=r"route\[0\]\.electrolyte_filling: no step before 'electrolyte_filling' "
                                            r"coats the cathode whose pores it fills"):
        validate_scenario(_moved_first("electrolyte_filling"))


@pytest.mark.unit
def test_a_liquid_cell_is_not_formed_before_it_is_filled():
    # formation first was accepted and priced as if the order did not matter
    with pytest.raises(ScenarioError, match=r"route\[0\]\.formation: a 'lipf6_carbonate' cell is formed after its "
                                            r"electrolyte filling; move 'formation' after 'electrolyte_filling'"):
        validate_scenario(_moved_first("formation"))
