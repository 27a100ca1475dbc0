"""Finished goods count held units many at a time (issue 14): the same figures, bit for bit, as one by one.

``twin.des.finished_tally.finished_outputs`` counts many units side by side; each unit's figures must equal what
``finished_output`` gives for that unit alone, and a plant whose finished goods hold units before counting
them must end with every total, sum and sample equal to one that counts each unit when it arrives.
"""

from pathlib import Path

import numpy as np
import pytest

from twin.cell_output import _ROW, finished_output
from twin.des import endpoints
from twin.des.finished_tally import TALLY_FIELDS, finished_outputs
from twin.des.plant import build_plant, run_plant
from twin.scenario import load_scenario
from twin.sheet_batch import SHEET_STATE_FIELDS

pytestmark = pytest.mark.unit

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"


def _finished_sheets(rng, n, cells):
    values = np.full((len(SHEET_STATE_FIELDS), n), np.nan)
    values[_ROW["dead_cell_pieces"]] = rng.integers(0, cells, n)
    latent = np.where(rng.random(n) < 0.05, 1.0, 0.0)
    values[_ROW["latent_defect_pieces"]] = latent
    values[_ROW["latent_defect_step"]] = np.where(latent > 0, rng.integers(4, 7, n), np.nan)
    shorted = np.where(rng.random(n) < 0.01, 1.0, np.nan)
    values[_ROW["pinhole_shorted_pieces"]] = shorted
    values[_ROW["pinhole_short_step"]] = np.where(shorted > 0, 2.0, np.nan)
    values[_ROW["areal_capacity_mAh_per_cm2"]] = rng.normal(3.0, 0.1, n)
    values[_ROW["electrolyte_asr_ohm_m2"]] = rng.uniform(1e-4, 5e-4, n)
    values[_ROW["interface_asr_ohm_m2"]] = rng.uniform(1e-4, 9e-4, n)
    values[_ROW["stacked_pieces"]] = np.where(rng.random(n) < 0.9, cells - values[_ROW["dead_cell_pieces"]], np.nan)
    escaped = rng.random(n) < 0.002
    values[_ROW["out_of_spec_cause"]] = np.where(escaped, 2.0, np.nan)
    values[_ROW["out_of_spec_step"]] = np.where(escaped, 3.0, np.nan)
    return values


@pytest.mark.parametrize("name", ["gigafactory.yaml", "oxide_baseline.yaml"])
def test_units_counted_side_by_side_equal_each_unit_counted_alone(name):
    # 40 units of 1-1,500 sheets with escapes of every kind (whole sheets, shorts, latent pieces at three
    # steps) in some units and none in others: every field of every unit's output equal, float for float
    scenario = load_scenario(SCENARIOS / name)
    cells = scenario.cell.format.cells_per_sheet
    rng = np.random.default_rng(21)
    sizes = rng.integers(1, 1500, 40)
    values = _finished_sheets(rng, int(sizes.sum()), cells)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.intp)
    clean = slice(starts[5], starts[8])  # three units without an escape
    for field in ("latent_defect_pieces", "pinhole_shorted_pieces", "out_of_spec_cause"):
        values[_ROW[field], clean] = 0.0 if field == "latent_defect_pieces" else np.nan
    alone = [finished_output(scenario, values[:, start:start + size], np.ones(size, dtype=bool))
             for start, size in zip(starts, sizes, strict=True)]
    together = finished_outputs(scenario, values, starts)
    assert together == alone
    # the tally reads only its rows: given as a mapping of row to row, the same
    rows = {SHEET_STATE_FIELDS.index(field): values[SHEET_STATE_FIELDS.index(field)] for field in TALLY_FIELDS}
    assert finished_outputs(scenario, rows, starts) == alone
    assert any(output.escaped_by_step for output in alone) and not all(output.escaped_by_step for output in alone)


def test_fractional_pieces_are_left_to_the_unit_by_unit_count():
    # sums of fractional pieces depend on their order: the side-by-side count declines them
    scenario = load_scenario(SCENARIOS / "gigafactory.yaml")
    values = _finished_sheets(np.random.default_rng(3), 600, scenario.cell.format.cells_per_sheet)
    values[_ROW["latent_defect_pieces"], 7] = 0.5
    assert finished_outputs(scenario, values, np.array([0, 300], dtype=np.intp)) is None


def _finished_goods_after(scenario, days, monkeypatch, batched):
    with monkeypatch.context() as patch:
        if not batched:  # every unit counted alone by finished_output, as before the batching
            patch.setattr(endpoints, "finished_outputs", lambda *args: None)
            patch.setattr(endpoints, "FINISHED_BATCH_SHEETS", 1)
        horizon_s = days * 86400.0
        plant = build_plant(scenario, np.random.SeedSequence(scenario.seed), horizon_s, 0.5 * 86400.0, True)
        run_plant(plant, horizon_s)
        finished = plant.finished
        return (finished.output, finished.good_pieces, dict(finished.good_pieces_by_day), finished.good_by_day,
                finished.lead_time_sum_s, finished.lead_time_sample.values(), finished.state_sample(),
                plant.sheets_in_line(), plant.ledger.good_total)


def test_a_plant_counting_held_units_ends_with_the_totals_of_one_counting_each_unit(monkeypatch):
    scenario = load_scenario(SCENARIOS / "oxide_baseline.yaml")
    held = _finished_goods_after(scenario, 3.0, monkeypatch, batched=True)
    alone = _finished_goods_after(scenario, 3.0, monkeypatch, batched=False)
    assert held[0] == alone[0] and held[0].sheets > 0
    assert held[1:5] == alone[1:5]
    np.testing.assert_array_equal(held[5], alone[5])
    np.testing.assert_array_equal(held[6], alone[6])
    assert held[7:] == alone[7:]
