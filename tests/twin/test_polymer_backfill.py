"""The polymer_backfill step on a porous sintered scaffold, its route rules and the oxide_backfill scenario."""

from __future__ import annotations

import numpy as np
import pytest

from process_models.parameters import load_material
from process_models.polymer_electrolyte import vtf_conductivity_S_per_m
from twin.capacity import station_timing
from twin.cost.materials import step_material_items_per_sheet
from twin.evaluate import evaluate_scenario
from twin.operations import operation_for
from twin.scenario import ScenarioError, apply_overrides, read_scenario_document, validate_scenario
from twin.scenario.library import library_path
from twin.sheet_batch import SheetBatch

pytestmark = pytest.mark.component

BACKFILL = read_scenario_document(library_path("oxide_backfill"))
STEP = 4  # route index of polymer_backfill
SIGMA_60C = float(vtf_conductivity_S_per_m(333.15, load_material("peo_litfsi")))


def _backfill(density, overrides=None, scaffold_sigma=0.02, thickness_m=30e-6):
    scenario = validate_scenario(apply_overrides(BACKFILL, overrides or {}))
    step = scenario.route[STEP]
    batch = SheetBatch.new(len(density))
    batch.state["relative_density"][:] = density
    batch.state["electrolyte_thickness_m"][:] = thickness_m
    batch.state["ionic_conductivity_S_per_m"][:] = scaffold_sigma
    idx = np.arange(len(density))
    operation_for(step).apply(scenario, step, STEP, batch, {}, idx)
    return batch


def test_an_open_scaffold_filled_through_gains_the_polymer_network():
    density = np.array([0.70, 0.80])
    batch = _backfill(density)  # 10 min of 100 Pa s melt reaches far beyond 30 um
    expected = 0.02 + SIGMA_60C * (1.0 - density) ** 1.5
    np.testing.assert_allclose(batch.state["ionic_conductivity_S_per_m"], expected, rtol=1e-12)
    np.testing.assert_allclose(batch.state["electrolyte_asr_ohm_m2"], 30e-6 / expected, rtol=1e-12)


def test_a_dense_scaffold_takes_no_polymer():
    batch = _backfill(np.array([0.95]))
    assert batch.state["ionic_conductivity_S_per_m"][0] == pytest.approx(0.02, rel=1e-15)


def test_a_short_viscous_infiltration_fills_part_of_the_depth():
    # 6 s of a 1e4 Pa s melt, capillarity only, from one face: Washburn depth 3.75 um / 1.5 of 30 um
    overrides = {f"route[{STEP}].infiltration_time_min": 0.1, f"route[{STEP}].viscosity_Pa_s": 1e4,
                 f"route[{STEP}].applied_pressure_kPa": 0, f"route[{STEP}].exposed_faces": 1,
                 f"route[{STEP}].contact_angle_deg": 0}
    batch = _backfill(np.array([0.80]), overrides)
    depth = np.sqrt(0.05e-6 * 0.035 * 6.0 / (2 * 1e4)) / 1.5
    expected = 0.02 + SIGMA_60C * (0.2 * depth / 30e-6) ** 1.5
    assert batch.state["ionic_conductivity_S_per_m"][0] == pytest.approx(expected, rel=1e-9)


def test_oven_time_is_cycles_of_infiltration_and_cure():
    scenario = validate_scenario(apply_overrides(BACKFILL, {
        f"route[{STEP}].method": "solution", f"route[{STEP}].temperature_C": 60,
        f"route[{STEP}].solution_solids_volume_fraction": 0.2, f"route[{STEP}].cycles": 3}))
    timing = station_timing(scenario, "polymer_backfill")
    assert timing.unit_process_time_s == pytest.approx(3 * (10 + 10) * 60.0)
    items = step_material_items_per_sheet(scenario, "polymer_backfill")
    # polymer bought: the porosity down to the 0.6 percolation density of 30 um over the 0.06 m2 sheet
    polymer_m3 = 30e-6 * 0.4 * 0.06
    assert items["peo_litfsi"] == pytest.approx(polymer_m3 * 1200.0 * 40.0, rel=1e-9)
    assert items["solvent"] == pytest.approx(polymer_m3 * 4.0 * 786.0 * 0.1 * 2.0, rel=1e-9)


def test_back_fill_needs_a_fired_scaffold_and_nothing_hot_after_it():
    document = apply_overrides(BACKFILL, {})
    document["route"].insert(1, document["route"].pop(STEP))  # back-fill before the firing
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(document)
    assert ("route[1].polymer_backfill: no sintering of the electrolyte before this step; the back-fill fills the "
            "pores of a fired scaffold, move 'polymer_backfill' after it") in caught.value.problems
    assert any(p.startswith("route[3].sintering.profile: peak 1000 C after the polymer of step 'polymer_backfill'")
               for p in caught.value.problems)


def test_a_melt_below_the_peo_melting_point_is_refused():
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(apply_overrides(BACKFILL, {f"route[{STEP}].temperature_C": 50}))
    assert any("temperature_C: 50 is below 70 for method 'melt'" in p for p in caught.value.problems)


def test_oxide_backfill_scenario_evaluates():
    result = evaluate_scenario(validate_scenario(BACKFILL))
    # 0.9535 at the -50 C dry room (the plant, 60 d x seeds 1, 2: 0.9531): no sheet fails the interface ASR. At
    # -40 C evaluate said 0.896 until round 11 (5.8 % high_interface_asr, the plant 1.3 %: the buffers behind the
    # kilns drained at the cathode casters' pace, and a holiday in a firing waited twice); now 0.940 against the
    # plant's 0.940 (docs/calibration/buffer_waits.md, tests/twin/test_buffer_drain.py)
    assert result["yield"]["overall"] > 0.94
    density = result["quality_at_check"]["scaffold_inspection"]["relative_density"]["mean"]
    assert 0.7 < density < 0.85  # part-sintered: open pores for the polymer
