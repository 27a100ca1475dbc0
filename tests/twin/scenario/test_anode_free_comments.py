"""scenarios/anode_free.yaml's words follow its figures: its comments and sources said "10 % of the Li the first
charge loses (3.7 Wh per sheet)" after the model's loss moved to 8.2 % (Lee et al. 2020)."""

from __future__ import annotations

import re

import pytest

from process_models.formation import ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION
from twin.evaluate import evaluate_scenario
from twin.scenario import load_scenario

PATH = "scenarios/anode_free.yaml"


@pytest.mark.component
def test_the_anode_free_file_states_the_first_cycle_loss_and_energy_the_model_uses():
    text = open(PATH, encoding="utf-8").read()
    losses = re.findall(r"([\d.]+) % of the Li the first charge loses", text)
    assert len(losses) == 3
    assert all(float(loss) == pytest.approx(ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION * 100.0, abs=0.05)
               for loss in losses)
    scenario = load_scenario(PATH)
    cell = evaluate_scenario(scenario)["cell"]
    fmt = scenario.cell.format
    # the delivered cell energy over its layers, times the cells a sheet makes
    per_sheet_Wh = cell["delivered_cell_energy_wh"] / fmt.layers_per_cell * fmt.cells_per_sheet
    stated = re.search(r"\(([\d.]+) Wh per sheet cycled", text)
    assert stated is not None and float(stated.group(1)) == pytest.approx(per_sheet_Wh, abs=0.05)
    made = re.search(r"the line makes ([\d.]+) mAh/cm2 stored, ([\d.]+) cycled", text)
    assert made is not None
    assert float(made.group(1)) == pytest.approx(cell["made_capacity_mAh_per_cm2"]["mean"], abs=0.005)
    assert float(made.group(2)) == pytest.approx(cell["delivered_capacity_mAh_per_cm2"]["mean"], abs=0.0005)
