"""A line that finishes no sheet has no cell piece yield: evaluate printed "cell piece yield (finished sheets)
100.00%" for a sulphide electrolyte calendered at 750 MPa, where every sheet cracked and no cell was made."""

from __future__ import annotations

import pytest

from twin.cli import main
from twin.des.simulate import simulate
from twin.evaluate import evaluate_scenario
from twin.scenario import load_scenario

OVERPRESSED = {"route.electrolyte_calendering.pressure_MPa": 750}


@pytest.fixture(scope="module")
def overpressed():
    return load_scenario("scenarios/sulphide_spray.yaml", overrides=OVERPRESSED)


@pytest.mark.component
def test_evaluate_without_a_finished_sheet_gives_no_cell_piece_yield_and_prints_n_a(overpressed, capsys):
    result = evaluate_scenario(overpressed)
    assert result["throughput"]["good_cells_per_day"] == 0.0
    assert result["yield"]["cell_piece_yield"] is None
    with pytest.raises(SystemExit) as exit_info:
        main(["evaluate", "scenarios/sulphide_spray.yaml", "--set", "route.electrolyte_calendering.pressure_MPa=750"])
    assert exit_info.value.code == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if "cell piece yield" in line)
    assert "n/a" in row and "%" not in row


@pytest.mark.integration
def test_simulate_without_a_finished_sheet_gives_no_cell_piece_yield(overpressed):
    result = simulate(overpressed, days=1, warmup_days=0.5, seed=1, workers=1)
    assert result["yield"]["cell_piece_yield"] is None
