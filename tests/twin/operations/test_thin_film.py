"""The thin-film route in scenarios: vacuum stations' timing and energy, anneal, pinhole shorts, validation."""

from __future__ import annotations

import math

import pytest

from process_models import vacuum_deposition as vd
from process_models.parameters import load_material
from twin.capacity import sheets_per_roll, station_timing
from twin.evaluate import evaluate_scenario
from twin.scenario import (
    ScenarioError,
    apply_overrides,
    load_scenario,
    read_scenario_document,
    validate_scenario,
)

MICRO = "scenarios/thinfilm_microbattery.yaml"
WEB = "scenarios/thinfilm_web.yaml"
NM_PER_MIN = 1e-9 / 60.0


def _scenario(path, **overrides):
    return validate_scenario(apply_overrides(read_scenario_document(path), overrides))


@pytest.fixture(scope="module")
def micro():
    return load_scenario(MICRO)


@pytest.fixture(scope="module")
def web():
    return load_scenario(WEB)


@pytest.mark.component
def test_batch_chamber_cycle_and_energy_are_pump_down_deposition_vent_and_load_lock(micro):
    timing = station_timing(micro, "cathode_deposition")
    # 5 um LiCoO2 at 1.46 nm/min per W/cm2 x 4 W/cm2 = 5.84 nm/min -> 856.2 min under the targets
    deposition_s = 5e-6 / (1.46 * 4.0 * NM_PER_MIN)
    assert timing.unit_process_time_s == pytest.approx(deposition_s + (30 + 15 + 10) * 60.0, rel=1e-12)
    assert timing.unit_sheets == 50
    # pumps (15 kW) all the run, sources (4 W/cm2 x 2000 cm2 = 8 kW) while depositing
    expected_kWh = (15.0 * timing.unit_process_time_s + 8.0 * deposition_s) / 3600.0
    assert timing.unit_energy_kWh == pytest.approx(expected_kWh, rel=1e-12)


@pytest.mark.component
def test_web_coater_speed_is_static_rate_times_zone_length_over_thickness(web):
    timing = station_timing(web, "electrolyte_coater")
    station = web.line.stations["electrolyte_coater"]
    speed = 8.0 * NM_PER_MIN * 5.0 / 2e-6          # arc-evaporated LiPON, 5 m zone, 2 um
    assert timing.unit_process_time_s == pytest.approx(station.roll_length_m / speed, rel=1e-12)
    assert timing.unit_sheets == sheets_per_roll(web, station)[0]
    # pumps 150 kW + sources 120 kW all the time the roll runs
    assert timing.unit_energy_kWh == pytest.approx(270.0 * timing.unit_process_time_s / 3600.0, rel=1e-12)


@pytest.mark.component
def test_more_sources_on_the_slow_layer_speed_the_line_up(web):
    slow = station_timing(web, "cathode_coater")
    longer = station_timing(_scenario(WEB, **{"line.stations.cathode_coater.deposition_zone_length_m": 10.0}),
                            "cathode_coater")
    assert slow.sheets_per_hour_per_machine < longer.sheets_per_hour_per_machine
    assert longer.unit_process_time_s == pytest.approx(slow.unit_process_time_s / 2.0, rel=1e-12)


@pytest.mark.component
def test_a_rotary_target_costs_less_per_sheet_than_a_planar_one(web):
    from twin.cost.materials import step_material_items_per_sheet

    rotary = sum(step_material_items_per_sheet(web, "cathode_coater").values())
    planar = sum(step_material_items_per_sheet(_scenario(WEB, **{"route.cathode_coater.target_form": "planar"}),
                                               "cathode_coater").values())
    substrate = 30.0 * web.sheet_area_m2   # the substrate enters the line at its first layer
    film_kg = 5e-6 * 5060.0 * web.sheet_area_m2
    assert rotary == pytest.approx(substrate + film_kg / (0.5 * 0.8) * 1000.0, rel=1e-9)
    assert planar == pytest.approx(substrate + film_kg / (0.5 * 0.3) * 1000.0, rel=1e-9)


@pytest.mark.integration
def test_the_cell_delivers_from_its_thin_film_layers(micro):
    result = evaluate_scenario(micro)
    quality = result["quality"]
    # 1.5 um LiPON at 2 uS/cm: 75 ohm cm2 (thickness scatter 2 %)
    assert quality["electrolyte_asr_ohm_cm2"]["mean"] == pytest.approx(75.0, rel=0.01)
    # 5 um LiCoO2 annealed 2 h at 700 C with 5 C/min ramps: ~65 uAh/cm2/um
    made = result["cell"]["made_capacity_mAh_per_cm2"]["mean"]
    assert 5.0 * 0.060 <= made <= 5.0 * 0.0693
    delivered = result["cell"]["delivered_capacity_mAh_per_cm2"]["mean"]
    assert delivered < made        # the ASR of LiPON + the Li interface drops voltage at 1C
    assert result["cell"]["delivered_cell_energy_wh"] == pytest.approx(
        result["cost"]["usd_per_cell"] / result["cost"]["usd_per_kwh"] * 1000.0, rel=1e-9)


@pytest.mark.integration
def test_a_hotter_anneal_makes_more_capacity(micro):
    cool = evaluate_scenario(_scenario(MICRO, **{"route.cathode_anneal.profile[0].temperature_C": 600,
                                                 "route.anneal_inspection.min_areal_capacity_mAh_per_cm2": 0.1}))
    hot = evaluate_scenario(_scenario(MICRO, **{"route.anneal_inspection.min_areal_capacity_mAh_per_cm2": 0.1}))
    assert cool["cell"]["made_capacity_mAh_per_cm2"]["mean"] < hot["cell"]["made_capacity_mAh_per_cm2"]["mean"]


@pytest.mark.integration
def test_thicker_lipon_never_shorts_more_cells():
    yields = [evaluate_scenario(_scenario(MICRO, **{"cell.electrolyte.thickness_um": t}))["yield"]["cell_piece_yield"]
              for t in (1.0, 1.5, 2.5)]
    assert yields[0] < yields[1] < yields[2]


@pytest.mark.integration
def test_a_blind_ocv_screen_ships_the_pinhole_shorts_as_escapes():
    # a 90 s "screen" that asks for a 1 V drop sees nothing
    scenario = _scenario(MICRO, **{"route.ocv_screen.ocv_reject_margin_mV": 1000, "route.ocv_screen.ageing_days": 0.001,
                                   "route.anneal_inspection.detection_probability": 1.0,
                                   "route.cathode_deposition.defect_density_per_m2": 0.0})
    result = evaluate_scenario(scenario)
    step = scenario.step("electrolyte_deposition")
    density = vd.pinhole_density_per_m2(1.5e-6, step.pinhole_density_per_cm2 * 1e4, 1e-6, 0.5e-6)
    p_short = float(vd.short_probability(density, scenario.cell_layer_area_m2))
    # escapes per good cell = p / (1 - p); 3000 sheets x 16 cells sample: a few % sampling error
    assert result["yield"]["escape_rate"] == pytest.approx(p_short / (1.0 - p_short), rel=0.1)
    screened = evaluate_scenario(_scenario(MICRO, **{"route.anneal_inspection.detection_probability": 1.0,
                                                     "route.cathode_deposition.defect_density_per_m2": 0.0}))
    # the 7-day screen finds nearly every short: it misses only R above ~5e7 ohm (< 5 mV in 7 days), 0.3 %
    assert screened["yield"]["escape_rate"] < 0.05 * result["yield"]["escape_rate"]
    assert screened["yield"]["overall"] == pytest.approx(1.0 - p_short, abs=0.005)


@pytest.mark.integration
def test_a_sheet_with_every_cell_shorted_is_scrapped_for_pinhole_short():
    result = evaluate_scenario(_scenario(MICRO, **{"route.electrolyte_deposition.pinhole_density_per_cm2": 100}))
    assert result["yield"]["scrap_by_cause"]["pinhole_short"] > 0.9
    assert result["undefined_reason"] is None or "pinhole_short" in result["undefined_reason"]


@pytest.mark.unit
def test_the_anneal_must_not_exceed_what_the_substrate_survives():
    with pytest.raises(ScenarioError, match=r"cathode_anneal.profile: peak 750 C is above the 700 C the "
                                            r"stainless_barrier substrate survives"):
        _scenario(WEB, **{"route.cathode_anneal.profile[0].temperature_C": 750})


@pytest.mark.unit
def test_a_lipon_cell_needs_its_vacuum_deposition_and_a_vacuum_station():
    document = read_scenario_document(MICRO)
    document["route"] = [s for s in document["route"] if s["name"] != "electrolyte_deposition"]
    del document["line"]["stations"]["electrolyte_deposition"]
    with pytest.raises(ScenarioError, match="cell.electrolyte.material 'lipon' needs a vacuum_deposition step"):
        validate_scenario(document)
    with pytest.raises(ScenarioError, match=r"line.stations.cathode_deposition.vacuum: required"):
        _scenario(MICRO, **{"line.stations.cathode_deposition.vacuum": None})


@pytest.mark.unit
def test_a_sputter_power_above_the_target_limit_is_refused():
    with pytest.raises(ScenarioError, match=r"power_density_W_per_cm2: 6 is above 5 for a licoo2 target"):
        _scenario(MICRO, **{"route.cathode_deposition.power_density_W_per_cm2": 6})


@pytest.mark.unit
def test_li_loss_and_grain_size_of_the_anneal_are_on_the_sheet(micro):
    import numpy as np

    from twin.evaluate import sample_route

    batch = sample_route(micro, np.random.default_rng(micro.seed))
    grains = batch.state["cathode_grain_size_m"][batch.alive]
    assert np.all((grains > 100e-9) & (grains < 200e-9))
    assert np.all(batch.state["cathode_li_loss_fraction"][batch.alive] < 1e-6)
    assert math.isfinite(load_material("lco_thin_film")["molar_mass_kg_per_mol"])


@pytest.mark.component
def test_the_cell_block_carries_the_thin_film_line_figures(micro):
    from twin.thin_film_output import thin_film_block

    block = thin_film_block(micro)
    assert block["cells_per_substrate"] == 16 and block["cell_area_cm2"] == pytest.approx(4.0)
    density = vd.pinhole_density_per_m2(1.5e-6, 0.03e4, 1e-6, 0.5e-6)
    assert block["pinhole_short_probability_per_cell"] == pytest.approx(1.0 - math.exp(-density * 4e-4), rel=1e-12)
    timing = station_timing(micro, "cathode_deposition")
    assert block["vacuum_kwh_per_m2"]["cathode_deposition"] == pytest.approx(
        timing.unit_energy_kWh / 50 / 0.01, rel=1e-12)
    assert set(block["vacuum_kwh_per_m2"]) == {"cathode_collector", "cathode_deposition", "electrolyte_deposition",
                                               "li_evaporation"}
    assert thin_film_block(load_scenario("scenarios/oxide_baseline.yaml")) is None


@pytest.mark.unit
def test_a_vacuum_block_on_a_station_that_does_not_read_it_is_refused():
    # the dicing saw's evaluation never reads a vacuum block: accepting it would silently ignore the user's input
    vacuum = {"pump_down_min": 1, "vent_min": 1, "load_lock_min": 1, "pump_power_kW": 1, "target_area_cm2": 100}
    with pytest.raises(ScenarioError, match=r"line.stations.dicing.vacuum: a 'cutting' step does not use a vacuum "
                                            r"block"):
        _scenario(MICRO, **{"line.stations.dicing.vacuum": vacuum})


@pytest.mark.unit
def test_a_substrate_on_a_cell_with_no_deposited_layer_is_refused():
    # an oxide cell ignores the substrate's cost but would take its mass as its collector: refuse it
    with pytest.raises(ScenarioError, match=r"cell.substrate: 'alumina' is only used by a thin-film cell"):
        _scenario("scenarios/oxide_baseline.yaml", **{"cell.substrate": {"material": "alumina", "thickness_um": 250}})


@pytest.mark.unit
def test_the_thin_film_sentence_counts_whole_cells_after_replications_are_averaged():
    # simulate averages the cell block over replications (30 -> 30.0); evaluate printed "30 cells", simulate "30.0"
    from twin.thin_film_output import thin_film_sentence

    block = {"substrate": "stainless_barrier 30 um", "cells_per_substrate": 30.0, "cell_area_cm2": 20.0,
             "pinhole_short_probability_per_cell": 0.078, "vacuum_kwh_per_m2": {}}
    assert thin_film_sentence(block).startswith("Thin film on stainless_barrier 30 um: 30 cells of 20 cm2 per")


@pytest.mark.unit
def test_encapsulating_or_dicing_before_the_layers_are_made_is_refused():
    # both were accepted and evaluated as if the route order did not matter
    for name, kind in (("encapsulation", "packaging"), ("dicing", "cutting")):
        document = read_scenario_document(MICRO)
        route = document["route"]
        route.insert(0, route.pop([step["name"] for step in route].index(name)))
        with pytest.raises(ScenarioError, match=rf"route\[0\]\.{kind}: '{name}' comes before 'li_evaporation' "
                                                rf"\(li_lamination\), which still makes the sheet's layers"):
            validate_scenario(document)
