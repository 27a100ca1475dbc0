"""The plant's faster glue gives exactly the numbers of the straightforward formulas it replaced.

Each speed change of issue 14's round 7 (docs/performance.md) must leave every result identical: these
tests compare each new path with the formula it replaced, bit for bit, on draws and states that exercise
its branches.
"""

from pathlib import Path

import numpy as np
import pytest

from process_models.inspection_pod import PodCurve
from twin.cell_output import _ROW, finished_output
from twin.scenario import load_scenario
from twin.sheet_batch import SHEET_STATE_FIELDS, SheetBatch
from twin.sheet_conditions import (
    UNIT_BLOCK,
    StationConditions,
    _draw_plan,
    _draw_unit_values,
    defect_piece_loss_survival,
    pieces_hit_by_defects,
)

pytestmark = pytest.mark.unit

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"


def test_kiln_unit_draws_made_in_blocks_are_the_draws_made_one_load_at_a_time():
    # the set point and hold time of each of 600 kiln loads (past two blocks of UNIT_BLOCK) equal, float for
    # float, what one generator call per load drew from the same stream
    scenario = load_scenario(SCENARIOS / "gigafactory.yaml")
    index = next(i for i, step in enumerate(scenario.route) if step.name == "electrolyte_sintering")
    plan = _draw_plan(scenario, scenario.route[index])
    assert plan.batch_normals, "the kiln step draws unit-level quantities"
    conditions = StationConditions(scenario, index, np.random.Generator(np.random.SFC64(3)),
                                   np.random.default_rng(11))
    one_at_a_time = np.random.default_rng(11)
    loads = 2 * UNIT_BLOCK + 88
    blocked = [conditions._next_unit_values() for _ in range(loads)]
    expected = [_draw_unit_values(plan, one_at_a_time) for _ in range(loads)]
    assert blocked == expected
    assert len({values["setpoint_K"] for values in blocked}) == loads  # real draws, not one repeated


@pytest.mark.parametrize("name", ["gigafactory.yaml", "oxide_baseline.yaml", "thinfilm_microbattery.yaml"])
def test_pieces_hit_by_defects_counts_as_the_per_sheet_row_sum(name):
    # k = #{j : u < table[r, j]} summed over the table's columns equals the row-by-row sum it replaced, for
    # sheets with every number of open pieces, dead and latent ones, and scrapped sheets left out
    scenario = load_scenario(SCENARIOS / name)
    step = next(step for step in scenario.route if step.defect_density_per_m2 > 0)
    cells = scenario.cell.format.cells_per_sheet
    survival = defect_piece_loss_survival(scenario, step)
    rng = np.random.default_rng(5)
    n = 4000
    batch = SheetBatch.new(n)
    dead = rng.integers(0, cells + 1, n)
    latent = np.minimum(rng.integers(0, 2, n), cells - dead)
    batch.values[SHEET_STATE_FIELDS.index("dead_cell_pieces")] = dead
    batch.values[SHEET_STATE_FIELDS.index("latent_defect_pieces")] = latent
    batch.alive[rng.random(n) < 0.1] = False
    # draws concentrated below the largest hit probability, so many sheets are looked at piece by piece
    draw = rng.random(n) * 2.0 * survival[cells, 0]
    hit, lost = pieces_hit_by_defects(scenario, step, batch.values, batch.alive, draw)
    expected_hit = np.flatnonzero((draw < survival[cells, 0]) & batch.alive)
    remaining = cells - (dead + latent)[expected_hit]
    expected_lost = (draw[expected_hit, None] < survival[remaining]).sum(axis=1)
    np.testing.assert_array_equal(hit, expected_hit)
    np.testing.assert_array_equal(lost, expected_lost)
    assert lost.dtype == expected_lost.dtype
    assert lost.max() > 1 or cells == 1  # several pieces of one sheet hit: the count is exercised


def _pod_formula(size, a50, a90, limit):
    size = np.asarray(size, dtype=float)
    z = (np.log(np.where(size > 0, size, 1.0)) - np.log(a50)) / (np.log(a90 / a50) / np.log(9.0))
    return np.where((size > 0) & (size >= limit), 0.5 * (1.0 + np.tanh(0.5 * z)), 0.0)


def test_pod_curve_in_place_equals_the_log_logistic_formula():
    rng = np.random.default_rng(2)
    sizes = rng.lognormal(np.log(40e-6), 1.2, 5000)
    sizes[::7] = np.nan
    sizes[::11] = 0.0
    sizes[::13] = -1e-6
    curve = PodCurve(74e-6, 185e-6, 37e-6)
    np.testing.assert_array_equal(curve(sizes), _pod_formula(sizes, 74e-6, 185e-6, 37e-6))
    assert float(curve(74e-6)) == 0.5 and float(curve(20e-6)) == 0.0  # a50 exactly; below the pixel, 0
    # a50 and a90 per size: the broadcasting path
    a50 = np.array([20e-6, 30e-6])
    per_size = PodCurve(a50, 2.0 * a50, 0.0)
    np.testing.assert_array_equal(per_size(np.array([20e-6, 60e-6])), _pod_formula([20e-6, 60e-6], a50, 2.0 * a50, 0.0))


def _finished_sheets(rng, n, escaped_share):
    values = np.full((len(SHEET_STATE_FIELDS), n), np.nan)
    values[_ROW["dead_cell_pieces"]] = rng.integers(0, 3, n)
    values[_ROW["latent_defect_pieces"]] = np.where(rng.random(n) < 0.1, 1.0, 0.0)
    values[_ROW["latent_defect_step"]] = np.where(values[_ROW["latent_defect_pieces"]] > 0, 5.0, np.nan)
    values[_ROW["areal_capacity_mAh_per_cm2"]] = rng.normal(3.0, 0.1, n)
    values[_ROW["electrolyte_asr_ohm_m2"]] = rng.uniform(1e-4, 5e-4, n)
    values[_ROW["interface_asr_ohm_m2"]] = rng.uniform(1e-4, 9e-4, n)
    values[_ROW["stacked_pieces"]] = 4.0 - values[_ROW["dead_cell_pieces"]]
    escaped = rng.random(n) < escaped_share
    values[_ROW["out_of_spec_cause"]] = np.where(escaped, 2.0, np.nan)
    values[_ROW["out_of_spec_step"]] = np.where(escaped, 3.0, np.nan)
    return values


@pytest.mark.parametrize("escaped_share", [0.0, 0.05])
def test_finished_output_of_a_lot_equals_the_per_sheet_formula(escaped_share):
    # with and without sheets escaped whole (the fast path skips the escape masks when there are none):
    # good and escaped pieces, and the escapes by the step that missed them, as the formula gives them
    scenario = load_scenario(SCENARIOS / "gigafactory.yaml")
    rng = np.random.default_rng(9)
    values = _finished_sheets(rng, 1500, escaped_share)
    output = finished_output(scenario, values, np.ones(1500, dtype=bool))
    pieces = 4.0 - values[_ROW["dead_cell_pieces"]]
    escaped = ~np.isnan(values[_ROW["out_of_spec_cause"]])
    latent = np.where(escaped, 0.0, np.minimum(values[_ROW["latent_defect_pieces"]], pieces))
    good = np.where(escaped, 0.0, pieces - latent)
    escaped_pieces = np.concatenate([pieces[escaped], latent[latent > 0]])
    assert output.good_pieces == float(good.sum())
    assert output.escaped_pieces == float(escaped_pieces.sum())
    by_step = {3: float(pieces[escaped].sum()), 5: float(latent[latent > 0].sum())}
    assert dict(output.escaped_by_step) == {step: count for step, count in by_step.items() if count > 0}
    assert (3 in dict(output.escaped_by_step)) == (escaped_share > 0)


def test_a_copy_with_more_pieces_per_sheet_gets_its_own_defect_plan():
    # model_copy shares the route's step objects: a copy that changes only the pieces per sheet (same sheet
    # area) must not be handed the original's survival table, which counts 2 pieces instead of 4
    scenario = load_scenario(SCENARIOS / "oxide_baseline.yaml")
    index = next(i for i, step in enumerate(scenario.route) if step.defect_density_per_m2 > 0)
    cell_format = scenario.cell.format
    doubled = scenario.model_copy(update={"cell": scenario.cell.model_copy(update={
        "format": cell_format.model_copy(update={"cells_per_sheet": 2 * cell_format.cells_per_sheet})})})
    assert doubled.route[index] is scenario.route[index] and doubled.sheet_area_m2 == scenario.sheet_area_m2
    assert _draw_plan(scenario, scenario.route[index]).cells_per_sheet == cell_format.cells_per_sheet
    plan = _draw_plan(doubled, doubled.route[index])
    assert plan.cells_per_sheet == 2 * cell_format.cells_per_sheet
    assert plan.piece_loss_survival.shape[0] == 2 * cell_format.cells_per_sheet + 1
