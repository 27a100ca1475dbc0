"""A material a step cannot use is refused at validation, naming the missing parameters (issue 12 §2).

Before, ``peo_litfsi`` in the sulphide line validated and evaluate then failed on a missing parameter.
"""

from __future__ import annotations

import itertools
from typing import get_args

import pytest

from process_models.errors import PhysicsDomainError
from twin.evaluate import evaluate_scenario
from twin.scenario import ScenarioError, apply_overrides, read_scenario_document, validate_scenario
from twin.scenario.cell import CathodeMaterial, ElectrolyteMaterial
from twin.scenario.library import library_path
from twin.scenario.material_check import material_problems

pytestmark = pytest.mark.component

LIBRARY = ("oxide_baseline", "oxide_rapid", "pilot_line", "gigafactory", "anode_free", "sulphide_spray")


def _problems(document, overrides) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(apply_overrides(document, overrides))
    return caught.value.problems


def test_cathode_firing_on_a_sulphide_names_the_missing_master_curve():
    # the composite cathode densifies on its electrolyte's master curve; Li6PS5Cl has none
    found = _problems(read_scenario_document(library_path("oxide_baseline")),
                      {"cell.electrolyte.material": "li6ps5cl"})
    expected = ("route[5].sintering: cell.electrolyte.material 'li6ps5cl' (sulphide) cannot be used by step "
                "'cathode_sintering': it has no msc_activation_energy_J_per_mol, msc_log_theta_half, "
                "msc_log_theta_width, msc_final_relative_density, msc_reference_particle_size_m, herring_exponent "
                "(needed for firing the composite cathode (on the electrolyte's master sintering curve)); allowed "
                "for this step: llzo_ta, llzo_al, llzo_ga")
    assert expected in found


def test_polymer_in_the_sulphide_spray_line_is_refused_at_validation():
    found = _problems(read_scenario_document(library_path("sulphide_spray")),
                      {"cell.electrolyte.material": "peo_litfsi"})
    assert found == ["route[3].spray_deposition.layer: electrolyte material 'peo_litfsi' is a polymer: it is made "
                     "as a film (a polymer_film step, solvent cast or extruded), not deposited as a ceramic powder"]


def test_library_scenarios_need_nothing_their_materials_lack():
    for name in LIBRARY:
        assert material_problems(validate_scenario(read_scenario_document(library_path(name)))) == [], name


@pytest.mark.parametrize("name", LIBRARY)
def test_every_material_swap_that_validates_evaluates(name):
    """Whatever material validation accepts, evaluate can use: no missing-parameter failure."""
    document = read_scenario_document(library_path(name))
    accepted = 0
    for electrolyte, cathode in itertools.product(get_args(ElectrolyteMaterial), get_args(CathodeMaterial)):
        swapped = apply_overrides(document, {"cell.electrolyte.material": electrolyte,
                                             "cell.cathode.material": cathode})
        try:
            scenario = validate_scenario(swapped)
        except ScenarioError:
            continue
        accepted += 1
        try:
            evaluate_scenario(scenario)
        except ScenarioError as error:  # a missing price is the scenario's cost data, named clearly
            assert all(problem.startswith("costs.materials.") for problem in error.problems), error.problems
        except PhysicsDomainError as error:  # pragma: no cover - the failure this test guards against
            pytest.fail(f"{name} with {electrolyte}/{cathode} validated but evaluate failed: {error}")
    assert accepted >= 1
