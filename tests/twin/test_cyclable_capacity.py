"""The capacity a made cell cycles: its cathode's made density (utilisation of a dry composite) and an
anode-free cell's first-cycle Li loss, per sheet, in the energy the cell delivers and the cost counts; Wh/kg
and Wh/L on evaluate's terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from process_models.formation import ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION
from twin.cell_output import delivered_energy_Wh_per_piece
from twin.cell_rating import (
    cathode_utilisation,
    cyclable_capacity_mAh_per_cm2,
    first_cycle_li_loss_fraction,
    plated_li_thickness_m,
)
from twin.evaluate import evaluate_scenario
from twin.scenario import load_scenario
from twin.sheet_batch import SHEET_STATE_FIELDS

ROOT = Path(__file__).resolve().parents[2]
ROW = {name: i for i, name in enumerate(SHEET_STATE_FIELDS)}


def _sheets(capacity, density, catholyte_asr=np.nan):
    values = np.full((len(SHEET_STATE_FIELDS), np.size(capacity)), np.nan)
    values[ROW["areal_capacity_mAh_per_cm2"]] = capacity
    values[ROW["cathode_relative_density"]] = density
    values[ROW["catholyte_asr_ohm_m2"]] = catholyte_asr
    values[ROW["electrolyte_asr_ohm_m2"]] = 0.0
    values[ROW["interface_asr_ohm_m2"]] = 0.0
    return values


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(ROOT / "scenarios" / "oxide_baseline.yaml")


@pytest.fixture(scope="module")
def anode_free():
    return load_scenario(ROOT / "scenarios" / "anode_free.yaml")


@pytest.mark.unit
def test_a_denser_cathode_of_the_same_stored_capacity_never_cycles_less(baseline):
    density = np.linspace(0.5, 1.0, 51)
    cyclable = cyclable_capacity_mAh_per_cm2(baseline, _sheets(np.full(51, 3.5), density))
    assert np.all(np.diff(cyclable) >= 0.0)
    # LCO/LLZTO law (lco_llzto_composite.yaml): nothing at 0.60 and below, all of it from 0.90
    assert cyclable[density <= 0.6].max() == 0.0
    np.testing.assert_array_equal(cyclable[density >= 0.9], 3.5)
    assert cyclable[density == 0.75][0] == pytest.approx(1.75, rel=1e-12)
    # the energy a piece delivers follows (no resistance here: only the capacity moves)
    energy = delivered_energy_Wh_per_piece(baseline, _sheets(np.full(51, 3.5), density))
    assert np.all(np.diff(energy) >= 0.0) and energy[0] == 0.0


@pytest.mark.unit
def test_a_liquid_in_the_cathode_pores_reaches_every_particle(baseline):
    # the hybrid cell's catholyte (catholyte_asr set) carries the ions: a 0.55-dense cathode cycles all it stores
    filled = _sheets(np.array([3.5, 3.5]), np.array([0.55, 0.55]), np.array([1e-3, np.nan]))
    np.testing.assert_array_equal(cathode_utilisation(baseline, filled), [1.0, 0.0])


@pytest.mark.unit
def test_a_cathode_material_without_a_utilisation_law_is_not_limited():
    liion = load_scenario(ROOT / "scenarios" / "liion_batpac_reference.yaml")
    assert cathode_utilisation(liion, _sheets(np.array([4.8]), np.array([0.7]))) == 1.0


@pytest.mark.unit
def test_anode_free_cell_cycles_its_stored_capacity_less_the_first_cycle_loss(anode_free, baseline):
    sheets = _sheets(np.array([2.0, 2.142, 1.5]), np.array([0.96, 0.95, 1.0]))
    assert first_cycle_li_loss_fraction(anode_free) == ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION == 0.082
    np.testing.assert_allclose(cyclable_capacity_mAh_per_cm2(anode_free, sheets),
                               [2.0 * 0.918, 2.142 * 0.918, 1.5 * 0.918], rtol=1e-15)
    # a Li-foil cell's excess Li pays for the loss
    assert first_cycle_li_loss_fraction(baseline) == 0.0
    np.testing.assert_array_equal(cyclable_capacity_mAh_per_cm2(baseline, sheets), [2.0, 2.142, 1.5])


@pytest.mark.unit
def test_anode_free_plated_li_is_the_charged_capacity_in_li_metal(anode_free, baseline):
    sheets = _sheets(np.array([2.0, 2.0]), np.array([0.96, 0.96]))
    # 1 mAh/cm2 = 4.85 um of dense Li (Faraday's law): the lost Li stays at the anode, so it counts too
    assert plated_li_thickness_m(anode_free, sheets) == pytest.approx(2.0 * 4.85e-6, rel=2e-3)
    assert plated_li_thickness_m(baseline, sheets) == 0.0


@pytest.mark.integration
def test_anode_free_energy_and_cost_book_the_first_cycle_loss(anode_free, monkeypatch):
    booked = evaluate_scenario(anode_free)
    monkeypatch.setattr("twin.cell_rating.ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION", 0.0)
    free = evaluate_scenario(anode_free)
    # same sheets (same seed), 8.2 % less capacity: the energy falls by about that (a smaller current drops a
    # little less voltage at C/3, so a hair less than 8.2 %), the cost per kWh rises by about 1/0.918
    ratio = booked["cell"]["delivered_cell_energy_wh"] / free["cell"]["delivered_cell_energy_wh"]
    assert 0.918 <= ratio < 0.923
    assert booked["yield"]["overall"] == free["yield"]["overall"]
    assert booked["cost"]["usd_per_kwh"] == pytest.approx(free["cost"]["usd_per_kwh"] / ratio, rel=1e-9)
    # at 8.2 % the cell delivers 1.7 % under its design, inside the 2 % the shortfall sentence allows; a 10 % loss
    # (the value before round 10) puts it 3.6 % short and the sentence names the loss
    assert booked["cell"]["capacity_shortfall"] is None
    assert free["cell"]["capacity_shortfall"] is None
    monkeypatch.setattr("twin.cell_rating.ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION", 0.10)
    assert "loses 10 % of its Li plating the anode in formation" in evaluate_scenario(
        anode_free)["cell"]["capacity_shortfall"]


@pytest.mark.integration
def test_a_porous_cathode_is_no_longer_free(baseline):
    # the cathode pulses at 1000 C instead of 1200 C: relative density ~0.70 instead of ~0.97. Its stored
    # capacity is the same (thicker, mass conserved), but the porous composite reaches a third of it
    from twin.scenario import apply_overrides, read_scenario_document, validate_scenario

    document = read_scenario_document(ROOT / "scenarios" / "oxide_baseline.yaml")
    # the line without its capacity grade (which scraps every such cell, asserted below): the law and the sentence
    cold_overrides = {"route.cathode_sintering.profile[0].temperature_C": 1000,
                      "route.end_of_line_test.capacity_grading": None,
                      "line.stations.end_of_line_test.power_kW": 5}   # metered again without the grade
    porous = validate_scenario(apply_overrides(document, cold_overrides))
    dense, cold = evaluate_scenario(baseline), evaluate_scenario(porous)
    assert cold["quality"]["cathode_relative_density"]["mean"] < 0.75
    assert cold["cell"]["made_capacity_mAh_per_cm2"]["mean"] == pytest.approx(
        dense["cell"]["made_capacity_mAh_per_cm2"]["mean"], rel=0.01)
    assert cold["cell"]["delivered_cell_energy_wh"] < 0.5 * dense["cell"]["delivered_cell_energy_wh"]
    assert cold["cost"]["usd_per_kwh"] > 2.0 * dense["cost"]["usd_per_kwh"]
    assert "reaches" in cold["cell"]["capacity_shortfall"] and "of its active material" in \
        cold["cell"]["capacity_shortfall"]
    # ~35 % of the design delivered: the sentence says the yield still counts these cells good (no capacity check)
    assert "not the product the design describes, yet the yield counts them good" in cold["cell"]["capacity_shortfall"]
    assert dense["cell"]["capacity_shortfall"] is None or "not the product" not in dense["cell"]["capacity_shortfall"]
    # with the library's grade (85 % of the design) the end-of-line test scraps them all for low_capacity
    graded = evaluate_scenario(validate_scenario(apply_overrides(
        document, {"route.cathode_sintering.profile[0].temperature_C": 1000})))
    assert graded["throughput"]["good_cells_per_day"] == 0.0 and graded["cost"]["usd_per_kwh"] is None
    assert "low_capacity at end_of_line_test" in graded["undefined_reason"]
    assert "capacity grading at end_of_line_test (grade 85 %" in graded["cell"]["capacity_shortfall"]


@pytest.mark.integration
@pytest.mark.parametrize("name", ["anode_free", "sulphide_spray"])
def test_evaluate_prints_cell_energy_wh_per_kg_and_wh_per_l_at_80_columns(name, tmp_path):
    out_json = tmp_path / "result.json"
    ran = subprocess.run([sys.executable, "-m", "twin.cli", "evaluate", f"scenarios/{name}.yaml", "--json",
                          str(out_json)], capture_output=True, text=True, env=dict(os.environ, COLUMNS="80"),
                         cwd=ROOT, check=False)
    assert ran.returncode == 0, ran.stderr
    cell = json.loads(out_json.read_text())["cell"]
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip()
            for line in ran.stdout.splitlines() if line.count("│") == 3}
    assert rows["Wh per kg, finished cell"] == f"{cell['specific_energy_wh_per_kg']:,.0f}"
    assert rows["Wh per L, finished cell"] == f"{cell['energy_density_wh_per_l']:,.0f}"
    assert rows["Wh per cell, delivered at C/3"] == (f"{cell['delivered_cell_energy_wh']:.4g}  "
                                                      f"(design {cell['design_cell_energy_wh']:.4g})")
    tables = [line for line in ran.stdout.splitlines() if line[:1] in "┌┏│┃└┡"]
    assert max(len(line) for line in tables) <= 80 and "…" not in ran.stdout
