"""Transfer-unit mechanics the plant relies on for speed: lot sizes, cheap subsets, no-op scrapping,
one systematic sample of the quality rows."""

from pathlib import Path

import numpy as np
import pytest

from twin.capacity import station_timings
from twin.des.endpoints import SystematicSample
from twin.des.plant import DISCRETE_LOT_TIME_S, station_spec
from twin.operations import operation_for
from twin.scenario import apply_overrides, load_scenario, read_scenario_document, validate_scenario
from twin.sheet_batch import SHEET_STATE_FIELDS, SheetBatch

pytestmark = pytest.mark.unit

GIGAFACTORY = Path(__file__).resolve().parents[3] / "scenarios" / "gigafactory.yaml"


def _discrete_lots(scenario) -> dict[str, int]:
    """Lot size of every discrete station, built as the plant builds it (largest upstream carrier)."""
    largest_unit = 1
    lots = {}
    for timing in station_timings(scenario).values():
        spec = station_spec(timing, scenario, largest_unit)
        if timing.station_kind == "discrete":
            lots[timing.step_name] = spec.unit_sheets
        else:
            largest_unit = max(largest_unit, timing.unit_sheets)
    return lots


def _with_machines_times(path: Path, factor: int):
    document = read_scenario_document(path)
    overrides = {f"line.stations.{name}.machines": station["machines"] * factor
                 for name, station in document["line"]["stations"].items()}
    return validate_scenario(apply_overrides(document, overrides))


def test_discrete_lot_is_bounded_by_lot_time_and_the_upstream_carrier():
    scenario = load_scenario(GIGAFACTORY)
    largest_unit = 1
    checked = 0
    for timing in station_timings(scenario).values():
        spec = station_spec(timing, scenario, largest_unit)
        if timing.station_kind == "discrete":
            per_sheet_s = (timing.unit_process_time_s + timing.unit_overhead_s) / timing.unit_sheets
            assert 1 <= spec.unit_sheets <= largest_unit
            # an hour's work, or one channel hold's where a tester holds each cell longer (the capacity grade)
            step = next(step for step in scenario.route if step.name == timing.step_name)
            lot_time_s = max(DISCRETE_LOT_TIME_S, operation_for(step).cell_hold_s(scenario, step))
            assert spec.unit_sheets * per_sheet_s <= lot_time_s + 1e-9
            assert spec.min_unit_sheets == 1  # a lot never waits to fill: a sheet starts when one is waiting
            checked += 1
        else:
            largest_unit = max(largest_unit, timing.unit_sheets)
    assert checked == 6  # the two inspections, cutting, stacking, packaging, the end-of-line test
    lots = _discrete_lots(scenario)
    # stacking, 4 s per panel behind a 3332-panel carrier: the one-hour cap binds (3600 / 4 = 900)
    assert lots["stacking"] == 900
    # cutting, 2 s per panel on 2 machines: the one-hour lot of one machine (1800), not half the carrier (1666)
    assert lots["cutting"] == 1800
    # the electrolyte inspection, 1 s per panel: the whole 3332-panel carrier is less than an hour's work
    assert lots["electrolyte_inspection"] == 3332


@pytest.mark.parametrize("path", sorted(GIGAFACTORY.parent.glob("*.yaml")), ids=lambda path: path.stem)
def test_discrete_lot_does_not_shrink_with_machine_count(path):
    # issue 14: 5x the machines must not make 5x smaller lots (5x the units per sheet to simulate)
    single = _discrete_lots(load_scenario(path))
    assert single  # every one of these lines has discrete stations
    assert _discrete_lots(_with_machines_times(path, 5)) == single


def test_boolean_subset_matches_fancy_indexing_and_copies():
    batch = SheetBatch.new(7)
    batch.values[:] = np.arange(7 * len(SHEET_STATE_FIELDS), dtype=float).reshape(len(SHEET_STATE_FIELDS), 7)
    batch.scrap(np.array([0, 1, 0, 0, 1, 0, 0], dtype=bool), 3, "li_loss")
    picked = batch.subset(batch.alive)
    np.testing.assert_array_equal(picked.values, batch.values[:, batch.alive])
    assert picked.n == 5 and picked.alive.all()
    picked.state["relative_density"][:] = -1.0
    assert not np.any(batch.state["relative_density"] == -1.0)  # a mask subset is a copy
    head = batch.subset(slice(0, 3))
    head.state["relative_density"][:] = -2.0
    np.testing.assert_array_equal(batch.state["relative_density"][:3], -2.0)  # a slice subset is a view


def test_scrapping_nothing_leaves_the_batch_unchanged():
    batch = SheetBatch.new(4)
    batch.scrap(np.zeros(4, dtype=bool), 2, "defect")
    assert batch.alive.all()
    np.testing.assert_array_equal(batch.scrap_step, -1)
    np.testing.assert_array_equal(batch.scrap_cause, -1)
    batch.scrap(np.array([False, True, False, False]), 2, "defect")
    batch.scrap(np.array([False, True, True, False]), 5, "li_loss")  # the first cause sticks
    assert batch.scrap_step.tolist() == [-1, 2, 5, -1]
    assert batch.scrap_cause.tolist() == [-1, 0, 2, -1]


def test_quality_rows_are_sampled_together_as_every_kth_sheet():
    # one sample of several state rows keeps the same sheets as separate samples of each row would:
    # every stride-th sheet of the stream, the stride doubling each time the sample fills
    rng = np.random.default_rng(1)
    rows = [2, 3, 7]
    together = SystematicSample(capacity=64, rows=rows)
    apart = [SystematicSample(capacity=64) for _ in rows]
    chunks = []
    for n in rng.integers(1, 40, 60):
        values = rng.normal(size=(len(SHEET_STATE_FIELDS), n))
        chunks.append(values)
        together.add(values)
        for sample, row in zip(apart, rows, strict=True):
            sample.add(values[row])
    stream = np.concatenate(chunks, axis=1)
    assert together.stride >= 16
    np.testing.assert_array_equal(together.values(), stream[rows, :: together.stride])
    for sample, row in zip(apart, rows, strict=True):
        np.testing.assert_array_equal(sample.values(), stream[row, :: sample.stride])


def test_systematic_sample_keeps_every_kth_item_when_units_overfill_it():
    # units far larger than the sample (a one-hour lot against a small capacity) and empty ones: the
    # sample is still exactly every stride-th item of the stream, the stride a power of two
    rng = np.random.default_rng(7)
    sample = SystematicSample(capacity=16)
    chunks = []
    for n in [0, 5, 100, 1, 0, 37, 250, 3, 64, 2]:
        values = rng.normal(size=n)
        chunks.append(values)
        sample.add(values)
        stream = np.concatenate(chunks)
        np.testing.assert_array_equal(sample.values() if stream.size else np.zeros(0), stream[:: sample.stride])
    assert sample.stride >= 16 and sample.stride & (sample.stride - 1) == 0
