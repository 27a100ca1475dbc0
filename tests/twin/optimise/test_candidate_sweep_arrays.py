"""The optimiser's candidate sweep as arrays gives every candidate the numbers of a one-by-one run.

``evaluate_group`` runs candidates that share a recipe as one vectorised call with the same draws
(common random numbers). The reference here is the plain loop it replaced: each candidate's scenario,
its own copy of the sample, one ``apply_step`` per step, the scalar ``sheet_tail_margin`` (each check's worst
1 % sheet by twin.quality_checkpoints.spec_tail). Equal to rel 1e-12 (floating-point summation order of the means).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from twin.operations import operation_for
from twin.optimise import candidates, quality_margins
from twin.optimise.recipe_space import candidate_recipes, plan_groups, recipe_axes, with_recipes
from twin.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[3]
SAMPLE_SHEETS = 100


def one_by_one(scenario, plan, steps, sample, n_sheets):
    first, last = plan.span
    units = candidates._units(n_sheets)
    target_m = scenario.cell.electrolyte.thickness_um * 1e-6
    yields = np.zeros((len(steps), last - first + 1))
    margins = np.full(len(steps), math.inf)
    means = {}
    for k, candidate in enumerate(steps):
        candidate_scenario = with_recipes(scenario, candidate)
        batch = candidates._copy(sample.before_step[first])
        for i in range(first, last + 1):
            step = candidate.get(i)
            conditions = candidates._conditions(candidate_scenario, i, units, step)
            current = candidate_scenario.route[i]
            if operation_for(current).is_quality_check:
                found = {}
                margins[k] = min(margins[k], quality_margins.sheet_tail_margin(
                    current, batch.state, batch.alive, target_m, found))
                for key, value in found.items():
                    means.setdefault(key, np.full(len(steps), np.nan))[k] = value
            alive_in = int(batch.alive.sum())
            batch = candidates._advance(candidate_scenario, i, batch, units, conditions, step)
            yields[k, i - first] = batch.alive.sum() / alive_in if alive_in else 0.0
    return yields, margins, means


@pytest.mark.integration
@pytest.mark.parametrize("name", ["gigafactory", "oxide_baseline"])
def test_array_sweep_equals_one_by_one_run(name):
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    sample = candidates.baseline_sample(scenario, SAMPLE_SHEETS)
    for plan in plan_groups(scenario, recipe_axes(scenario)):
        steps, _ = candidate_recipes(scenario, plan)
        # neighbours share a firing recipe after different blade gaps (one concatenated call); strided ones
        # spread over the grid
        picked = steps[:21] + steps[21::373][:40]
        got = candidates.evaluate_group(scenario, plan, picked, sample, SAMPLE_SHEETS)
        yields, margins, means = one_by_one(scenario, plan, picked, sample, SAMPLE_SHEETS)
        np.testing.assert_array_equal(got.step_yield, yields)
        np.testing.assert_allclose(got.quality_margin, margins, rtol=1e-12, atol=0.0)
        assert set(got.quality_means) == set(means)
        for key, value in means.items():
            np.testing.assert_allclose(got.quality_means[key], value, rtol=1e-12, atol=0.0)


@pytest.mark.integration
def test_blocks_do_not_change_the_numbers(monkeypatch):
    # candidates split over several blocks (a small block size) give the numbers of one block
    scenario = load_scenario(ROOT / "scenarios" / "gigafactory.yaml")
    sample = candidates.baseline_sample(scenario, SAMPLE_SHEETS)
    plan = plan_groups(scenario, recipe_axes(scenario))[0]
    steps = candidate_recipes(scenario, plan)[0][:70]
    whole = candidates.evaluate_group(scenario, plan, steps, sample, SAMPLE_SHEETS)
    monkeypatch.setattr(candidates, "BLOCK_SHEETS", 9 * SAMPLE_SHEETS)
    split = candidates.evaluate_group(scenario, plan, steps, sample, SAMPLE_SHEETS)
    np.testing.assert_array_equal(split.step_yield, whole.step_yield)
    np.testing.assert_array_equal(split.quality_margin, whole.quality_margin)


@pytest.mark.unit
def test_row_means_match_nanmean_of_the_alive_sheets():
    rows = np.array([[1.0, np.nan, 3.0, 7.0], [np.nan, np.nan, 2.0, 4.0], [5.0, 6.0, 7.0, 8.0]])
    alive = np.array([[True, True, True, False], [True, True, False, False], [False, False, False, False]])
    mean, any_alive = quality_margins.row_means(rows, alive)
    assert mean[0] == 2.0  # nanmean of [1, nan, 3]
    assert math.isnan(mean[1])  # only NaN alive: not measured
    assert math.isnan(mean[2])  # no sheet alive
    assert any_alive.tolist() == [True, True, False]


@pytest.mark.unit
@pytest.mark.parametrize("sense", ["min", "max"])
def test_row_tails_are_spec_tail_of_each_candidate_exactly(sense):
    # the sweep's tails must be the very figure the checks' tables report, each row on its own alive, finite sheets
    from twin.quality_checkpoints import spec_tail

    rng = np.random.default_rng(11)
    sizes = [0, 1, 2, 3, 57, 100, 101, 250]
    rows = rng.lognormal(0.0, 0.4, size=(len(sizes) + 2, 250))
    alive = np.zeros(rows.shape, dtype=bool)
    for r, size in enumerate(sizes):
        alive[r, rng.choice(250, size=size, replace=False)] = True
    alive[-2:] = rng.random((2, 250)) < 0.8
    rows[-2, ::7] = np.nan        # a property some sheets never had set
    rows[-1, ::5] = np.inf
    tails = quality_margins.row_tails(rows, alive, sense)
    for r in range(rows.shape[0]):
        expected = spec_tail(rows[r][alive[r]], 1.0, sense)["tail_value"]
        if expected is None:
            assert math.isnan(tails[r])
        else:
            assert tails[r] == expected


@pytest.mark.integration
def test_the_sweep_never_writes_the_shared_sample():
    # steps work on the candidates' sheets where they lie in the sweep's own stores; the baseline sample's
    # snapshots every group starts from must come out unchanged
    scenario = load_scenario(ROOT / "scenarios" / "gigafactory.yaml")
    sample = candidates.baseline_sample(scenario, SAMPLE_SHEETS)
    before = [tuple(a.copy() for a in candidates._arrays(b)) for b in sample.before_step]
    plan = plan_groups(scenario, recipe_axes(scenario))[0]
    steps = candidate_recipes(scenario, plan)[0][:70]
    first = candidates.evaluate_group(scenario, plan, steps, sample, SAMPLE_SHEETS)
    for snapshot, kept in zip(sample.before_step, before, strict=True):
        for array, copy in zip(candidates._arrays(snapshot), kept, strict=True):
            np.testing.assert_array_equal(array, copy)
    again = candidates.evaluate_group(scenario, plan, steps, sample, SAMPLE_SHEETS)
    np.testing.assert_array_equal(again.step_yield, first.step_yield)


@pytest.mark.unit
def test_a_run_works_in_place_only_on_its_own_sheets_lying_end_to_end():
    from collections import Counter

    store = candidates.SheetBatch.new(40)
    other = candidates.SheetBatch.new(40)
    place = {"a": (store, 0), "b": (store, 10), "c": (store, 20), "d": (other, 30)}
    once = Counter({"a": 1, "b": 1, "c": 1, "d": 1})
    assert candidates._consecutive(["a", "b", "c"], place, once, 10) == (store, 0)
    assert candidates._consecutive(["b", "c"], place, once, 10) == (store, 10)
    assert candidates._consecutive(["b", "a"], place, once, 10) is None  # out of order
    assert candidates._consecutive(["a", "c"], place, once, 10) is None  # a gap between them
    assert candidates._consecutive(["c", "d"], place, once, 10) is None  # two stores
    assert candidates._consecutive(["a", "b"], place, once + Counter({"b": 1}), 10) is None  # read twice
    assert candidates._consecutive(["e"], place, once, 10) is None  # the shared sample: never written
