"""Every lost cell piece under the physical cause that killed it, valued like whole-sheet scrap.

A piece killed on a sheet that goes on (a killer defect at sintering, a latent defect a check found, ...)
is booked under its cause (twin.piece_yield.step_piece_losses), in evaluate and in simulate alike, and
priced as scrap (scrap value, recycling credit) by the one rule of twin.cost.breakdown.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from twin.capacity import station_timings
from twin.cost.breakdown import annual_cost, scrapped_sheet_equivalents
from twin.cost.line_flow import LineOutput, line_flow
from twin.cost.linear_model import step_variable_cost_per_sheet
from twin.cost.plant_items import recycling_credit_per_scrapped_sheet
from twin.des import simulate
from twin.evaluate import evaluate_details
from twin.piece_yield import DeadPieceLedger, piece_account, sheet_steps, step_piece_losses
from twin.scenario import load_scenario
from twin.sheet_batch import CAUSE_INDEX, SCRAP_CAUSES, SheetBatch, lose_pieces
from twin.sheet_conditions import defect_piece_loss_survival
from twin.sheet_physics import _lose_cell_pieces

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
GIGAFACTORY = SCENARIOS / "gigafactory.yaml"   # 4 pieces a sheet, costs.recycling set
BASELINE = SCENARIOS / "oxide_baseline.yaml"
SINTERING = "electrolyte_sintering"


def _one_piece_draw(scenario, step) -> float:
    """A defect draw that takes exactly one of a fresh sheet's pieces: P(K > 1) <= u < P(K > 0)."""
    survival = defect_piece_loss_survival(scenario, step)
    cells = scenario.cell.format.cells_per_sheet
    return 0.5 * (survival[cells, 0] + survival[cells, 1])


@pytest.mark.unit
def test_one_piece_killed_at_sintering_is_booked_as_a_defect_with_its_value():
    """A sheet of 4 pieces, one killed by a killer defect at the gigafactory's electrolyte sintering."""
    scenario = load_scenario(GIGAFACTORY)
    index = next(i for i, step in enumerate(scenario.route) if step.name == SINTERING)
    step = scenario.route[index]
    cells = scenario.cell.format.cells_per_sheet
    assert cells == 4
    batch = SheetBatch.new(1)
    ledger = DeadPieceLedger()
    for i in range(len(scenario.route)):
        if i == index:
            _lose_cell_pieces(scenario, step, batch, np.array([_one_piece_draw(scenario, step)]), index)
        ledger(i, batch)
    assert batch.alive[0] and batch.state["dead_cell_pieces"][0] == 1.0
    assert batch.state["piece_loss_cause"][0] == CAUSE_INDEX["defect"]
    account = piece_account(scenario, batch, ledger, good_pieces=3.0, escaped_pieces=0.0, cellmate_pieces_by_step={})
    assert account.single_pieces == {SINTERING: {"defect": 1.0}}
    assert account.whole_sheets == {}
    assert account.lost_by_cause()["defect"] == 1 / 4
    assert account.step_yields(scenario)[SINTERING] == 3 / 4
    # its value: a quarter of what a sheet scrapped at the sintering carries, and a quarter of its credit
    flow = line_flow(scenario, {s.name: 1.0 for s in scenario.route}, timings=station_timings(scenario),
                     output=dataclasses.replace(LineOutput.of_design(scenario),
                                                single_piece_sheets_per_sheet_started={SINTERING: 1 / 4}))
    operation = flow.operation
    started = operation.sheets_started_per_year
    assert operation.single_piece_sheets_per_year == {SINTERING: started / 4}
    assert scrapped_sheet_equivalents(operation)[SINTERING] == started / 4
    carried = 0.0
    for s in scenario.route[:index + 1]:
        carried += math.fsum(step_variable_cost_per_sheet(scenario, s.name).values())
    cost = annual_cost(operation)
    assert cost.scrap_value_usd_per_year[SINTERING] == pytest.approx(started / 4 * carried, rel=1e-12)
    credit = recycling_credit_per_scrapped_sheet(scenario, SINTERING)
    assert credit > 0.0   # the fired electrolyte's powder is recovered
    assert cost.recycling_credit_usd_per_year[SINTERING] == pytest.approx(started / 4 * credit, rel=1e-12)


@pytest.mark.unit
def test_the_credit_of_piece_losses_moves_usd_per_kwh_by_exactly_its_amount():
    """Same flows, with and without 1 % of the pieces lost singly at sintering: USD/kWh falls by the credit."""
    scenario = load_scenario(GIGAFACTORY)
    yields = {s.name: 1.0 for s in scenario.route}
    timings = station_timings(scenario)
    output = LineOutput.of_design(scenario)
    share = 0.01
    without = line_flow(scenario, yields, timings=timings, output=output)
    with_losses = line_flow(scenario, yields, timings=timings, output=dataclasses.replace(
        output, single_piece_sheets_per_sheet_started={SINTERING: share}))
    before, after = annual_cost(without.operation), annual_cost(with_losses.operation)
    # the output is given (the design's pieces): only the scrap's credit may move the cost
    assert after.kwh_per_year == before.kwh_per_year
    expected = share * without.operation.sheets_started_per_year * recycling_credit_per_scrapped_sheet(
        scenario, SINTERING)
    assert before.total_usd_per_year - after.total_usd_per_year == pytest.approx(expected, rel=1e-9)
    assert before.usd_per_kwh - after.usd_per_kwh == pytest.approx(expected / before.kwh_per_year, rel=1e-9)
    assert after.scrap_value_usd_per_year[SINTERING] > before.scrap_value_usd_per_year[SINTERING] == 0.0


@pytest.mark.unit
def test_a_step_books_whole_sheets_and_single_pieces_by_cause():
    """Four sheets of 3 pieces: one scrapped whole (low_density, 1 piece dead before), one losing 2 pieces to a
    found latent defect, one losing 1 to a killer defect, one untouched."""
    batch = SheetBatch.new(4)
    lose_pieces(batch.values, np.array([0]), 1.0, "defect")   # an earlier step
    dead_before = batch.state["dead_cell_pieces"].copy()
    batch.scrap_sheets(np.array([0]), 3, "low_density")
    lose_pieces(batch.values, np.array([1]), 2.0, "latent_defect")
    lose_pieces(batch.values, np.array([2]), 1.0, "defect")
    whole, single = step_piece_losses(3, dead_before, batch.values, ~batch.alive, batch.scrap_cause)
    assert whole[CAUSE_INDEX["low_density"]] == 2.0 and whole.sum() == 2.0
    assert single[CAUSE_INDEX["latent_defect"]] == 2.0 and single[CAUSE_INDEX["defect"]] == 1.0
    assert single.sum() == 3.0 and whole.size == single.size == len(SCRAP_CAUSES)


@pytest.mark.unit
def test_pieces_lost_without_a_cause_are_an_error_not_a_made_up_cause():
    batch = SheetBatch.new(2)
    dead_before = batch.state["dead_cell_pieces"].copy()
    batch.state["dead_cell_pieces"][1] += 1.0   # not through lose_pieces: no cause written
    with pytest.raises(ValueError, match="without a cause"):
        step_piece_losses(2, dead_before, batch.values, ~batch.alive, batch.scrap_cause)


@pytest.mark.unit
def test_sheets_exist_up_to_and_including_the_cutting_step():
    scenario = load_scenario(BASELINE)
    names = [step.name for step in scenario.route]
    cut = names.index("cutting")
    assert sheet_steps(scenario) == set(names[:cut + 1])


@pytest.fixture(scope="module")
def baseline_both():
    scenario = load_scenario(BASELINE)
    return evaluate_details(scenario).result, simulate(scenario, days=3, warmup_days=1, workers=1, seed=5)


@pytest.mark.integration
def test_simulate_and_evaluate_give_one_pareto_in_one_unit(baseline_both):
    """The killer defects at sintering and spraying: the same cause, step and unit in both commands, shares
    within their sampling error (binomial on the pieces each counted, 4 sigma)."""
    evaluated, simulated = baseline_both
    assert simulated["yield"]["scrap_basis"] == evaluated["yield"]["scrap_basis"]
    for result in (evaluated, simulated):
        assert "single_cell_pieces" not in result["yield"]["scrap_by_cause"]
        assert not any(entry["cause"] == "single_cell_pieces" for entry in result["yield"]["scrap_shares"])
    eval_pieces = evaluated["yield"]["sample_sheets"] * 2
    sim_pieces = simulated["yield"]["pieces_started"]
    assert sim_pieces > 20 * eval_pieces

    def share(result, step, cause):
        return next((e["fraction"] for e in result["yield"]["scrap_shares"]
                     if (e["step"], e["cause"]) == (step, cause)), 0.0)

    for step in (SINTERING, "cathode_spray"):
        p_eval, p_sim = share(evaluated, step, "defect"), share(simulated, step, "defect")
        assert p_eval > 0.0 and p_sim > 0.0
        sigma = math.sqrt(p_sim * (1 - p_sim) * (1 / eval_pieces + 1 / sim_pieces))
        assert abs(p_eval - p_sim) < 4 * sigma, (step, p_eval, p_sim)
    # simulate's shares are of a piece started at the yields each station measured on its own flow
    # (twin.des.statistics.yield_block): a station's share of a cause is the share of a piece started that reaches
    # it x its losses per entering piece (1 - its piece yield) x that cause's part of its counted losses; the
    # list and scrap_by_cause hold the same figures
    pieces = simulated["scrap_pieces"]
    yields = simulated["yield"]["piece_yield_by_step"]

    def counted_share(step, cause):
        reached = math.prod(yields[name] for name in list(yields)[:list(yields).index(step)])
        return reached * (1.0 - yields[step]) * pieces[step][cause] / math.fsum(pieces[step].values())

    assert simulated["yield"]["scrap_by_cause"]["defect"] == pytest.approx(
        math.fsum(counted_share(step, "defect") for step, by_cause in pieces.items() if by_cause["defect"]),
        rel=1e-12)
    assert share(simulated, SINTERING, "defect") == pytest.approx(counted_share(SINTERING, "defect"), rel=1e-12)
