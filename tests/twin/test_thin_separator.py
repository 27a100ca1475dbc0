"""A thinner separator shorts more: through-thickness killer defects wired into the route (user case:
oxide_baseline with cell.electrolyte.thickness_um=10 and blade_gap_um=99 left defect, latent-defect and
cellmate shares unchanged; only Li loss and ASR moved, and the cost fell 715.5 -> 699.6 USD/kWh)."""

from pathlib import Path

import numpy as np
import pytest

from twin.commands.output_notes import output_notes
from twin.evaluate import evaluate_details
from twin.scenario import load_scenario
from twin.scenario.errors import ScenarioError
from twin.sheet_conditions import (
    defect_piece_loss_survival,
    expected_cell_piece_yield,
    killer_defect_density_per_m2,
)

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "oxide_baseline.yaml"
THIN = {"cell.electrolyte.thickness_um": 10, "route.electrolyte_casting.blade_gap_um": 99}


def _step(scenario, name):
    return next(step for step in scenario.route if step.name == name)


@pytest.mark.component
def test_library_thickness_is_the_reference_so_the_stated_density_holds_exactly():
    scenario = load_scenario(BASELINE)
    casting = _step(scenario, "electrolyte_casting")
    assert casting.through_defects.reference_thickness_um == scenario.cell.electrolyte.thickness_um == 15
    assert killer_defect_density_per_m2(scenario, casting) == casting.defect_density_per_m2 == 0.5
    # a step without through-thickness defects keeps its own density whatever the thickness
    sintering = _step(load_scenario(BASELINE, overrides=THIN), "electrolyte_sintering")
    assert sintering.through_defects is None
    assert killer_defect_density_per_m2(load_scenario(BASELINE, overrides=THIN), sintering) == 0.5


@pytest.mark.component
def test_10um_separator_carries_the_power_law_density_in_every_defect_figure():
    thick, thin = load_scenario(BASELINE), load_scenario(BASELINE, overrides=THIN)
    casting = _step(thin, "electrolyte_casting")
    assert killer_defect_density_per_m2(thin, casting) == pytest.approx(0.5 * 1.5 ** 3, rel=1e-14)
    # the binomial table the plant and evaluate draw from: P(a two-piece sheet is hit at all) = 1 - exp(-D A)
    area = thin.sheet_area_m2
    hit_thin = defect_piece_loss_survival(thin, casting)[2, 0]
    assert hit_thin == pytest.approx(-np.expm1(-0.5 * 1.5 ** 3 * area), rel=1e-12)
    assert hit_thin > defect_piece_loss_survival(thick, _step(thick, "electrolyte_casting"))[2, 0]
    assert expected_cell_piece_yield(thin) <= expected_cell_piece_yield(thick)


@pytest.mark.component
def test_a_copy_sharing_the_route_with_another_thickness_gets_its_own_density():
    # the draw plan is cached per step; a scenario copy that changes only the electrolyte keeps the step objects
    scenario = load_scenario(BASELINE)
    casting = _step(scenario, "electrolyte_casting")
    before = defect_piece_loss_survival(scenario, casting)[2, 0]
    electrolyte = scenario.cell.electrolyte.model_copy(update={"thickness_um": 10.0})
    thinner = scenario.model_copy(update={"cell": scenario.cell.model_copy(update={"electrolyte": electrolyte})})
    assert _step(thinner, "electrolyte_casting") is casting
    assert defect_piece_loss_survival(thinner, casting)[2, 0] > before
    assert defect_piece_loss_survival(scenario, casting)[2, 0] == before


@pytest.mark.integration
def test_10um_case_scraps_more_than_15um_and_says_why():
    thick = evaluate_details(load_scenario(BASELINE)).result
    thin = evaluate_details(load_scenario(BASELINE, overrides=THIN)).result

    def defect_losses(result):
        scrap = result["yield"]["scrap_by_cause"]
        return scrap.get("defect", 0.0) + scrap.get("latent_defect", 0.0) + scrap.get(
            "cellmate_of_rejected_piece", 0.0) + result["yield"]["escaped_share"]

    # 0.5 -> 1.69 killer defects per m2: the defect-driven losses rise about threefold, the yield falls
    assert defect_losses(thin) > 2.0 * defect_losses(thick)
    assert thin["yield"]["overall"] < thick["yield"]["overall"] - 0.1
    assert thin["cost"]["usd_per_kwh"] > thick["cost"]["usd_per_kwh"]
    # the reason is said, with the densities; nothing is said at the reference thickness
    notes = " ".join(output_notes(thin))
    assert "Thinner electrolyte: 10 um against the 15 um" in notes
    assert "0.5 -> 1.69 per m2" in notes
    assert "through_defects" not in thick["yield"]
    assert not any("electrolyte:" in note and "against the" in note for note in output_notes(thick))


@pytest.mark.component
def test_bad_size_exponent_names_the_field_value_and_range():
    with pytest.raises(ScenarioError) as raised:
        load_scenario(BASELINE, overrides={"route.electrolyte_casting.through_defects.size_exponent": -1})
    message = str(raised.value)
    assert "size_exponent" in message and "-1" in message and "thicker layers short more" in message


def _not_grading(notes: list[str]) -> list[str]:
    return [note for note in notes if not note.startswith("Capacity grading at ")]


@pytest.mark.component
def test_simulate_says_it_too_from_the_scenario_and_thicker_reads_fall():
    # simulate's result has no through_defects block: the sentence is worked out from the scenario it passes
    thin = load_scenario(BASELINE, overrides=THIN)
    assert any(note.startswith("Thinner electrolyte: 10 um") for note in output_notes({"yield": {}}, thin))
    # the baseline grades capacity: its tester sentence prints from the scenario too, whatever the separator
    assert _not_grading(output_notes({"yield": {}}, load_scenario(BASELINE))) == []
    thicker = load_scenario(BASELINE, overrides={"cell.electrolyte.thickness_um": 20,
                                                 "route.electrolyte_casting.blade_gap_um": 200})
    (note,) = _not_grading(output_notes({"yield": {}}, thicker))
    # (15/20)^3 = 0.421875 of the stated 0.5 per m2
    assert note.startswith("Thicker electrolyte: 20 um against the 15 um") and "fall 0.5 -> 0.211 per m2" in note
