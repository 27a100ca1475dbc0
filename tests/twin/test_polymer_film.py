"""The polymer_film step (solvent-cast or extruded PEO-LiTFSI) and the polymer_film library scenario."""

from __future__ import annotations

import numpy as np
import pytest

from process_models.parameters import load_material
from process_models.polymer_electrolyte import vtf_conductivity_S_per_m
from twin.cost.materials import step_material_items_per_sheet
from twin.evaluate import evaluate_scenario
from twin.scenario import ScenarioError, apply_overrides, read_scenario_document, validate_scenario
from twin.scenario.library import library_path
from twin.sheet_physics import run_route

pytestmark = pytest.mark.component

POLYMER = read_scenario_document(library_path("polymer_film"))
FILM = 2  # route index of electrolyte_film


def _run(overrides=None, sheets=200):
    scenario = validate_scenario(apply_overrides(POLYMER, overrides or {}))
    return scenario, run_route(scenario, sheets, np.random.default_rng(3), unit_sheets=100)


def test_film_conductivity_is_the_vtf_law_at_the_cycling_temperature():
    peo = load_material("peo_litfsi")
    for cycling_C in (25.0, 60.0, 80.0):
        _, batch = _run({"route[7].cycling_temperature_C": cycling_C})
        sigma = batch.state["ionic_conductivity_S_per_m"]
        np.testing.assert_allclose(sigma, float(vtf_conductivity_S_per_m(cycling_C + 273.15, peo)), rtol=1e-12)
        # ASR = thickness / sigma per sheet (the film is dense)
        np.testing.assert_allclose(batch.state["electrolyte_asr_ohm_m2"],
                                   batch.state["electrolyte_thickness_m"] / sigma, rtol=1e-12)
        assert np.all(batch.state["relative_density"] == 1.0)


def test_a_room_temperature_rating_fails_the_conductivity_check():
    # at 25 C the film conducts ~3e-6 S/cm, far below the 0.05 mS/cm spec: every sheet is scrapped there
    _, batch = _run({"route[7].cycling_temperature_C": 25.0})
    assert not batch.alive.any()
    assert set(batch.scrap_step.tolist()) == {3}


def test_film_thickness_scatters_around_the_target():
    _, batch = _run({"variation.tape_thickness_cv": 0.03}, sheets=2000)
    thickness_um = batch.state["electrolyte_thickness_m"] * 1e6
    thickness_um = thickness_um[np.isfinite(thickness_um)]  # sheets scrapped before the film have none
    assert thickness_um.size > 1900
    assert thickness_um.mean() == pytest.approx(30.0, rel=0.01)
    assert thickness_um.std() / thickness_um.mean() == pytest.approx(0.03, rel=0.1)


def test_solvent_cast_books_the_lost_solvent_and_extrusion_none():
    scenario = validate_scenario(POLYMER)
    items = step_material_items_per_sheet(scenario, "electrolyte_film")
    # web area per sheet: a 1000 m x 0.6 m roll carries floor(1000 / 0.3) = 3333 sheets in 3 lanes
    film_kg = 30e-6 * 1200.0 * (1000.0 * 0.6 / (3333 * 3))
    assert items["peo_litfsi"] == pytest.approx(film_kg * 40.0, rel=1e-9)
    assert items["solvent"] == pytest.approx(film_kg * 9.0 * 0.1 * 2.0, rel=1e-9)  # (1-w)/w = 9, 10 % lost
    extruded = validate_scenario(apply_overrides(POLYMER, {
        "route[2].method": "extrusion", "route[2].solution_solids_mass_fraction": None,
        "route[2].melt_temperature_C": 120}))
    assert set(step_material_items_per_sheet(extruded, "electrolyte_film")) == {"peo_litfsi"}


def test_method_fields_are_required():
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(apply_overrides(POLYMER, {"route[2].method": "extrusion"}))
    assert any("melt_temperature_C is required for method 'extrusion'" in p for p in caught.value.problems)


def test_a_ceramic_in_a_polymer_film_step_is_refused_naming_the_vtf_parameters():
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(apply_overrides(POLYMER, {"cell.electrolyte.material": "li6ps5cl"}))
    assert caught.value.problems == [
        "route[2].polymer_film: cell.electrolyte.material 'li6ps5cl' (sulphide) cannot be used by step "
        "'electrolyte_film': it has no conductivity_reference_temperature_K, vtf_pseudo_activation_K, "
        "vtf_ideal_glass_temperature_K, melting_temperature_K, crystalline_fraction_below_melting (needed for the "
        "polymer film's mass and its temperature-dependent (VTF) conductivity); allowed for this step: peo_litfsi"]


def test_polymer_film_scenario_evaluates():
    result = evaluate_scenario(validate_scenario(POLYMER))
    # 30 um at 1e-4 S/cm (60 C): 30 ohm cm2
    assert result["quality"]["electrolyte_asr_ohm_cm2"]["mean"] == pytest.approx(30.0, rel=0.01)
    assert result["quality"]["ionic_conductivity_S_per_cm"]["mean"] == pytest.approx(1e-4, rel=1e-9)
    assert result["throughput"]["gwh_per_year"] >= 0.1


COMPOSITE = read_scenario_document(library_path("polymer_lagp"))


def test_co_cast_lagp_film_conducts_as_the_bruggeman_mixture_at_60_C():
    from process_models.polymer_electrolyte import arrhenius_conductivity_S_per_m, bruggeman_conductivity_S_per_m

    scenario = validate_scenario(COMPOSITE)
    batch = run_route(scenario, 100, np.random.default_rng(5), unit_sheets=100)
    polymer = float(vtf_conductivity_S_per_m(333.15, load_material("peo_litfsi")))
    lagp = float(arrhenius_conductivity_S_per_m(333.15, load_material("lagp")))
    expected = float(bruggeman_conductivity_S_per_m(lagp, polymer, 0.30))
    sigma = batch.state["ionic_conductivity_S_per_m"]
    np.testing.assert_allclose(sigma[np.isfinite(sigma)], expected, rtol=1e-12)
    assert polymer < expected < lagp  # between its phases


def test_co_cast_film_buys_polymer_and_filler_by_volume():
    scenario = validate_scenario(COMPOSITE)
    items = step_material_items_per_sheet(scenario, "electrolyte_film")
    film_m3 = 30e-6 * (1000.0 * 0.6 / (3333 * 3))
    assert items["peo_litfsi"] == pytest.approx(film_m3 * 0.7 * 1200.0 * 40.0, rel=1e-9)
    assert items["lagp"] == pytest.approx(film_m3 * 0.3 * 3430.0 * 100.0, rel=1e-9)
    solids_kg = film_m3 * (0.7 * 1200.0 + 0.3 * 3430.0)
    assert items["solvent"] == pytest.approx(solids_kg * 9.0 * 0.1 * 2.0, rel=1e-9)


def test_filler_fraction_needs_a_filler():
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(apply_overrides(POLYMER, {"route[2].filler_volume_fraction": 0.2}))
    assert any("filler_volume_fraction: 0.2 must be above 0 exactly when ceramic_filler is not 'none'" in p
               for p in caught.value.problems)
