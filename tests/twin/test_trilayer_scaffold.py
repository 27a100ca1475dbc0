"""Dense LLZO on a porous scaffold with Li infiltration (oxide_trilayer.yaml): the co-firing sets the scaffold,
the molten Li fills it only where it wets, and the interface ASR and CCD per geometric area follow."""

import copy

import numpy as np
import pytest

import twin
from twin.scenario.errors import ScenarioError
from twin.scenario.loader import read_scenario_document, validate_scenario
from twin.sheet_physics import run_route

TRILAYER = "scenarios/oxide_trilayer.yaml"
pytestmark = pytest.mark.component


@pytest.fixture(scope="module")
def doc():
    return read_scenario_document(TRILAYER)


def _without_zno(doc):
    changed = copy.deepcopy(doc)
    changed["route"] = [s for s in changed["route"] if s["name"] != "zno_pore_coating"]
    del changed["line"]["stations"]["zno_pore_coating"]
    del changed["line"]["buffers"]["before"]["zno_pore_coating"]
    return changed


def test_scaffold_state_after_the_co_firing(doc):
    batch = run_route(validate_scenario(doc), 100, np.random.default_rng(3))
    porosity = batch.state["scaffold_porosity"]
    # 60 vol% pore former around struts fired to ~0.95-0.99: ~0.6-0.62 porosity; pores shrunk from 5 um
    assert np.all((porosity > 0.59) & (porosity < 0.64))
    assert np.all(batch.state["scaffold_pore_size_m"] < 5e-6)
    area = batch.state["li_interface_area_factor"][batch.alive]   # set at the Li step on the sheets it reached
    assert area.size > 80 and np.all((area > 15) & (area < 60))


def test_infiltrated_scaffold_lowers_asr_and_raises_ccd(doc):
    filled = twin.evaluate(doc)
    flat = twin.evaluate(read_scenario_document("scenarios/oxide_cosintered.yaml"))
    assert filled["quality"]["interface_asr_ohm_cm2"]["mean"] < flat["quality"]["interface_asr_ohm_cm2"]["mean"] / 3
    ccd = filled["quality"]["critical_current_density_mA_per_cm2"]["mean"]
    assert ccd > 5 * flat["quality"]["critical_current_density_mA_per_cm2"]["mean"]
    # Hitz et al. 2019 cycle a Li-filled trilayer at ~10 mA/cm2 [R]: the same order
    assert 3 < ccd < 30


def test_without_the_coating_the_melt_stays_out_of_the_pores(doc):
    # clean garnet: 95 deg > 90 deg, the capillary pressure pushes the melt out: a flat interface
    batch = run_route(validate_scenario(_without_zno(doc)), 50, np.random.default_rng(3))
    assert np.all(batch.state["li_interface_area_factor"][batch.alive] == 1.0)


def test_porous_layer_bounds_name_the_field(doc):
    changed = copy.deepcopy(doc)
    layer = next(s for s in changed["route"] if s["kind"] == "co_sintering")["porous_layer"]
    layer["pore_former_volume_fraction"] = 0.9
    with pytest.raises(ScenarioError, match="pore_former_volume_fraction"):
        validate_scenario(changed)



def test_the_porous_tape_buys_its_powder_and_pore_former(doc):
    from twin.cost.materials import layer_solid_density_kg_per_m3, step_material_items_per_sheet

    scenario = validate_scenario(doc)
    items = step_material_items_per_sheet(scenario, "co_sintering")
    # 50 um x (1 - 0.6) of dense Ta-LLZO struts on 0.06 m2 at 50 USD/kg; PMMA 0.6/0.4 of that volume at 1.19 g/cm3
    ceramic_m3 = 50e-6 * 0.4 * 0.06
    density = layer_solid_density_kg_per_m3(scenario, "electrolyte")
    assert items["llzo_ta_scaffold"] == pytest.approx(ceramic_m3 * density * 50.0, rel=1e-12)
    assert items["pmma_pore_former"] == pytest.approx(ceramic_m3 * 1.5 * 1190.0 * 20.0, rel=1e-12)
