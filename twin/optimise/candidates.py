"""Evaluate recipe candidates with the physics: per-step yields and the quality of the worst 1 % sheet.

Every candidate of a group is pushed through its span with ``twin.sheet_physics`` on the same seeded
Monte Carlo sample (common random numbers: the same furnace set-point draws, load positions, defects
and inspection draws for every candidate), so differences between candidates are the recipe's, not
sampling noise, and a tighter spec can only scrap more. The draws go through evaluate's estimator
(twin.sample_estimator: stratified defect draws, expected detection where exact), so the candidates' sheet
yields are counted as evaluate counts them. Sheets are processed in transfer units of
``UNIT_SHEETS`` (each unit gets its own batch-level draws, e.g. one furnace set point per kiln load).
The sweep runs as arrays (``evaluate_group``): candidates that run the same recipe at a step are laid
end to end and go through one vectorised call, and candidates whose recipes agree so far share their
sheets; so 17,920 joint candidates take ~2,600 firing calls instead of 17,920 x 4 step calls.
"""

from __future__ import annotations

import collections
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from twin.cell_output import sheet_pieces
from twin.operations import operation_for
from twin.optimise.quality_margins import QUALITY_SPECS, THICKNESS_DEVIATION, quality_margins
from twin.optimise.recipe_space import GroupPlan, with_recipes
from twin.sample_estimator import SampleEstimator
from twin.scenario import Scenario
from twin.scenario.route import RouteStep
from twin.sheet_exposure import LINE_TIME, sheet_line_times_s
from twin.sheet_physics import SheetBatch, apply_step, sample_conditions

# Sheets per transfer unit in the sample: 50 spans the whole kiln load-position spread (the spread is
# laid out over the unit) while giving several independent set-point draws per candidate (assumption).
UNIT_SHEETS = 50

@dataclass
class SampleState:
    """The Monte Carlo sample after the baseline route, with a snapshot before each step."""

    before_step: list[SheetBatch]  # batch entering step i (baseline recipes upstream)
    step_yield: np.ndarray  # baseline yield of every step
    finished: SheetBatch | None = None  # the sample after the whole baseline route


def _units(n_sheets: int) -> list[int]:
    count = max(1, math.ceil(n_sheets / UNIT_SHEETS))
    return [UNIT_SHEETS] * count


def _step_seed(scenario: Scenario, step_index: int) -> np.random.SeedSequence:
    # One child seed per route step: every candidate replays the same stream at that step.
    return _step_seeds(scenario.seed, len(scenario.route))[step_index]


@functools.lru_cache(maxsize=64)
def _step_seeds(seed: int, steps: int) -> tuple[np.random.SeedSequence, ...]:
    # spawning costs ~70 us; a generator seeded from a child does not change the child, so it is shared
    return tuple(np.random.SeedSequence(seed).spawn(steps))


def _conditions(scenario: Scenario, step_index: int, units: list[int], step: RouteStep | None) -> list[dict]:
    """The draws of each unit at a step, adjusted by evaluate's estimator (twin.sample_estimator).

    Defect draws stratified (one block per unit) and, at a check with an inspection method, detection
    carried as an expectation where exact: the candidates' sheet yields then count what evaluate's sample
    counts (a sheet whose latent pieces a check may miss goes on, their expected loss is in the pieces
    per sheet the MILP reads from evaluate), not whole sheets scrapped by a few counted draws. A fresh
    estimator per call gives every candidate at a step the same adjusted draws (common random numbers).
    ``scenario`` holds the step's recipe (``step``, if given, is that recipe): the estimator's look-ahead
    draws the later latent-making steps from it as the sweep will.
    """
    rng = np.random.default_rng(_step_seed(scenario, step_index))
    estimator = SampleEstimator(scenario, list(_step_seeds(scenario.seed, len(scenario.route))), UNIT_SHEETS,
                                lambda _: units)
    line_times = _line_times(scenario, sum(units))[step_index]
    unit_conditions, start = [], 0
    for n in units:
        conditions = sample_conditions(scenario, step_index, n, rng, step=step)
        # each sheet's own wait before the Li foil, as evaluate's sample draws it (twin.sheet_exposure): the
        # interface-ASR scrap of the sheets a stop catches in the dry room is in every candidate's yield
        conditions[LINE_TIME] = line_times[start:start + n]
        start += n
        estimator.adjust(step_index, conditions)
        unit_conditions.append(conditions)
    return unit_conditions


_LINE_TIMES: dict[tuple[int, int, int], tuple[object, np.ndarray]] = {}


def _line_times(scenario: Scenario, sheets: int) -> np.ndarray:
    """Each sample sheet's line time at every step [s], (steps x sheets), from a stream of its own (one
    child past the steps' seeds).

    Kept per line (buffers, shift calendar), seed and sample size: the baseline sample draws them first and
    every candidate reuses them (common random numbers). A candidate's recipe moves the line rate that
    drains the buffers by a few per cent at most, a second-order change to the wait's tail (assumption);
    computing the waits per candidate recipe cost ~1.6 s of the gigafactory's optimisation.
    """
    key = (id(scenario.line), scenario.seed, sheets)
    cached = _LINE_TIMES.get(key)
    if cached is not None and cached[0] is scenario.line:
        return cached[1]
    steps = len(scenario.route)
    stream = np.random.SeedSequence(scenario.seed).spawn(steps + 1)[steps]
    times = sheet_line_times_s(scenario, sheets, np.random.default_rng(stream), UNIT_SHEETS)
    if len(_LINE_TIMES) >= 64:
        _LINE_TIMES.clear()
    _LINE_TIMES[key] = (scenario.line, times)
    return times


def _joined(units: list[int], conditions: list[dict]) -> dict[str, np.ndarray]:
    return {
        key: np.concatenate([np.broadcast_to(c[key], (n,) + np.shape(c[key])[1:])
                             for n, c in zip(units, conditions, strict=True)])
        for key in conditions[0]
    }


def _tiled(conditions: dict[str, np.ndarray], copies: int) -> dict[str, np.ndarray]:
    """The same per-sheet conditions for ``copies`` candidates laid end to end (common random numbers)."""
    if copies == 1:
        return conditions
    return {key: np.concatenate([value] * copies) for key, value in conditions.items()}


def _per_unit_batch_draw(scenario: Scenario, step_index: int, step: RouteStep | None) -> bool:
    current = scenario.route[step_index] if step is None else step
    return operation_for(current).is_firing and scenario.variation.hold_time_cv > 0


def _copy(batch: SheetBatch) -> SheetBatch:
    return batch.subset(np.ones(batch.n, dtype=bool))


def _advance(
    scenario: Scenario,
    step_index: int,
    batch: SheetBatch,
    units: list[int],
    unit_conditions: list[dict],
    step: RouteStep | None,
) -> SheetBatch:
    """Apply one step to all units; one vectorised call unless a batch-level draw differs between units."""
    if not _per_unit_batch_draw(scenario, step_index, step):
        apply_step(scenario, step_index, batch, _joined(units, unit_conditions), step=step)
        return batch
    parts, start = [], 0
    for n, conditions in zip(units, unit_conditions, strict=False):
        part = batch.subset(slice(start, start + n))
        apply_step(scenario, step_index, part, conditions, step=step)
        parts.append(part)
        start += n
    return SheetBatch.concatenate(parts)


def baseline_sample(scenario: Scenario, n_sheets: int) -> SampleState:
    """Run the scenario's own recipes over the sample, keeping the batch entering each step."""
    units = _units(n_sheets)
    batch = SheetBatch.new(sum(units))
    snapshots, yields = [], []
    for i in range(len(scenario.route)):
        snapshots.append(_copy(batch))
        alive_in = int(batch.alive.sum())
        batch = _advance(scenario, i, batch, units, _conditions(scenario, i, units, None), None)
        yields.append(batch.alive.sum() / alive_in if alive_in else 0.0)
    return SampleState(before_step=snapshots, step_yield=np.array(yields, dtype=float), finished=batch)


@dataclass
class GroupEvaluation:
    step_yield: np.ndarray  # (candidates, span length)
    quality_margin: np.ndarray  # (candidates,)
    quality_means: dict[str, np.ndarray]  # property -> (candidates,)
    # (candidates,): good cell pieces so far per sheet leaving the span (good_pieces_per_sheet_left); NaN: none left
    good_pieces_left: np.ndarray | None = None


def good_pieces_per_sheet_left(scenario: Scenario, values: np.ndarray, alive: np.ndarray,
                               copies: int = 1) -> np.ndarray:
    """Per run of ``copies`` candidates laid end to end: good cell pieces per sheet alive in the state matrix.

    A piece is good so far as evaluate counts a good piece at the end (twin.cell_output.sheet_pieces): not
    killed by a defect, not carrying a latent defect or a pinhole short no check has found yet, on a sheet
    never found out of spec (a sheet a check found out of spec and missed escapes whole: no good piece).
    NaN for a candidate with no sheet alive. ``values``: (fields x copies*n), ``alive``: (copies*n,).
    """
    good = sheet_pieces(scenario, values)[4]
    alive = alive.reshape(copies, -1)
    total = np.where(alive, good.reshape(copies, -1), 0.0).sum(axis=1)
    count = alive.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


# Sheets worked on at once in the sweep: a block of candidates (~650 at 200 sample sheets) goes through
# the span together, so memory stays ~30 MB per step whatever the grid size (assumption: cache-sized).
BLOCK_SHEETS = 131_072


def _consecutive(olds: list[tuple], place: dict[tuple, tuple[SheetBatch, int]],
                 readers: collections.Counter, n: int) -> tuple[SheetBatch, int] | None:
    """(store, first column) when the nodes ``olds`` lie end to end in that order in one store of the
    sweep's and are read by this run only (so the step may work on them where they are); else None."""
    start = place.get(olds[0])
    if start is None:
        return None
    store, column = start
    for q, old in enumerate(olds):
        if readers[old] != 1 or place.get(old) != (store, column + q * n):
            return None
    return start


def _arrays(batch: SheetBatch) -> tuple[np.ndarray, ...]:
    return batch.values, batch.alive, batch.scrap_step, batch.scrap_cause


def _store_like(template: SheetBatch, n: int) -> SheetBatch:
    """Room for ``n`` sheets with ``template``'s fields and types, to be filled (nothing initialised)."""
    return SheetBatch(*(np.empty(a.shape[:-1] + (n,), dtype=a.dtype) for a in _arrays(template)))


def _gather(slot: SheetBatch, parts: list[SheetBatch]) -> None:
    """Write ``parts`` end to end into ``slot`` (the copy ``SheetBatch.concatenate`` makes, into place)."""
    if len(parts) == 1:
        part = parts[0]
        slot.values[...] = part.values
        slot.alive[...] = part.alive
        slot.scrap_step[...] = part.scrap_step
        slot.scrap_cause[...] = part.scrap_cause
        return
    np.concatenate([b.values for b in parts], axis=1, out=slot.values)
    np.concatenate([b.alive for b in parts], out=slot.alive)
    np.concatenate([b.scrap_step for b in parts], out=slot.scrap_step)
    np.concatenate([b.scrap_cause for b in parts], out=slot.scrap_cause)


def evaluate_group(
    scenario: Scenario,
    plan: GroupPlan,
    candidate_steps: list[dict[int, RouteStep]],
    sample: SampleState,
    n_sheets: int,
    progress: Callable[[float], None] | None = None,
) -> GroupEvaluation:
    """Yields over the span and quality margins of every candidate, on the shared sample, as arrays.

    Candidates go through the span in blocks. At each step, candidates whose recipes so far are the
    same hold the same sheets (computed once); candidates that run the same step recipe on different
    sheets (e.g. one firing recipe after seven blade gaps) are concatenated and run in one vectorised
    call, each with the same draws (common random numbers). A step's draws and physics depend on its
    own recipe and the sheets it receives, not on the recipes of other steps (causality, as the baseline
    snapshots already assume), so this gives every candidate the numbers a candidate-by-candidate run
    gives, to floating-point summation order (pinned by the golden optimisation results)."""
    first, last = plan.span
    units = _units(n_sheets)
    n = sum(units)
    shared = {i: _conditions(scenario, i, units, None) for i in range(first, last + 1)}
    recipe_conditions: dict[tuple[int, int], list[dict]] = {}
    joined: dict[tuple[int, int], dict[str, np.ndarray]] = {}
    target_m = scenario.cell.electrolyte.thickness_um * 1e-6
    k_count = len(candidate_steps)
    yields = np.zeros((k_count, last - first + 1))
    pieces_left = np.full(k_count, np.nan)
    margins = np.full(k_count, math.inf)
    means: dict[str, np.ndarray] = {}
    block = max(1, BLOCK_SHEETS // max(n, 1))
    for block_start in range(0, k_count, block):
        members = range(block_start, min(block_start + block, k_count))
        # a node: the sheets of the candidates whose recipes so far are the same, keyed by those recipes
        node_of = dict.fromkeys(members, ())
        nodes: dict[tuple, SheetBatch] = {(): sample.before_step[first]}
        # where a node's sheets sit in a block store of the sweep's own: (store, first column); the sample's
        # batch has none (it is never written)
        place: dict[tuple, tuple[SheetBatch, int]] = {}
        for i in range(first, last + 1):
            # the distinct nodes entering step i, grouped by the recipe each runs there (None: the scenario's)
            runs: dict[int, tuple[RouteStep | None, int, dict[tuple, tuple]]] = {}
            entering = {}
            for k in members:
                step = candidate_steps[k].get(i)
                old = node_of[k]
                entering[k] = old
                new = old + ((i, id(step)),) if step is not None else old
                node_of[k] = new
                run = runs.get(id(step))
                if run is None:
                    run = runs[id(step)] = (step, k, {})
                run[2].setdefault(old, new)
            next_nodes: dict[tuple, SheetBatch] = {}
            next_place: dict[tuple, tuple[SheetBatch, int]] = {}
            node_yield: dict[tuple, float] = {}
            node_pieces: dict[tuple, float] = {}
            node_margin: dict[tuple, float] = {}
            node_means: dict[tuple, dict[str, float]] = {}
            readers = collections.Counter(old for _, _, inputs in runs.values() for old in inputs)
            in_place = {r: _consecutive(list(inputs), place, readers, n) for r, (_, _, inputs) in runs.items()}
            fresh_sheets = sum(len(runs[r][2]) * n for r, here in in_place.items() if here is None)
            fresh = _store_like(sample.before_step[first], fresh_sheets)
            filled = 0
            for r, (step, representative, inputs) in runs.items():
                olds = list(inputs)
                candidate_scenario = with_recipes(
                    scenario, {j: s for j, s in candidate_steps[representative].items() if j <= i})
                if step is None:
                    conditions = shared[i]
                else:
                    key = (i, id(step))
                    if key not in recipe_conditions:
                        recipe_conditions[key] = _conditions(candidate_scenario, i, units, step)
                    conditions = recipe_conditions[key]
                current = candidate_scenario.route[i]
                m = len(olds)
                if in_place[r] is not None:
                    # the sheets already lie end to end, in this order, and no other run reads them: the
                    # step works on them where they are (no copy)
                    store, start = in_place[r]
                else:
                    store, start = fresh, filled
                    filled += m * n
                slot = store.subset(slice(start, start + m * n))
                if in_place[r] is None:
                    _gather(slot, [nodes[old] for old in olds])
                batch = SheetBatch(slot.values, slot.alive, slot.scrap_step, slot.scrap_cause)
                alive_in = batch.alive.reshape(m, n).sum(axis=1)
                if operation_for(current).is_quality_check:
                    found: dict[str, np.ndarray] = {}
                    margin = quality_margins(current, batch.values.reshape(-1, m, n),
                                              batch.alive.reshape(m, n), target_m, found)
                    for r, old in enumerate(olds):
                        node_margin[old] = float(margin[r])
                        # as sheet_tail_margin: nothing is recorded for a candidate with no sheet alive, and
                        # the thickness deviation only where a thickness is measured
                        node_means[old] = {name: float(value[r]) for name, value in found.items()
                                           if alive_in[r] and not (name == THICKNESS_DEVIATION
                                                                   and math.isnan(value[r]))}
                if _per_unit_batch_draw(candidate_scenario, i, step):
                    batch = _advance(candidate_scenario, i, batch, units * m, conditions * m, step)
                else:  # one call for every candidate of the run, each with the same per-sheet draws
                    key = (i, id(step))
                    if key not in joined:
                        joined[key] = _joined(units, conditions)
                    apply_step(candidate_scenario, i, batch, _tiled(joined[key], m), step=step)
                if any(a is not b for a, b in zip(_arrays(batch), _arrays(slot), strict=True)):
                    _gather(slot, [batch])  # a step that made new arrays: its sheets go back into the store
                alive_out = slot.alive.reshape(m, n).sum(axis=1)
                if i == last:  # what the sheets leaving the span carry in good pieces (per candidate)
                    left = good_pieces_per_sheet_left(scenario, slot.values, slot.alive, m)
                    node_pieces.update((inputs[old], float(left[q])) for q, old in enumerate(olds))
                for q, old in enumerate(olds):
                    new = inputs[old]
                    next_nodes[new] = slot.subset(slice(q * n, (q + 1) * n))
                    next_place[new] = (store, start + q * n)
                    node_yield[new] = alive_out[q] / alive_in[q] if alive_in[q] else 0.0
            place = next_place
            for k in members:
                yields[k, i - first] = node_yield[node_of[k]]
                if i == last:
                    pieces_left[k] = node_pieces[node_of[k]]
                if entering[k] in node_margin:
                    margins[k] = min(margins[k], node_margin[entering[k]])
                    for name, value in node_means[entering[k]].items():
                        column = means.get(name)
                        if column is None:  # not setdefault: its default would be a new array per call
                            column = means[name] = np.full(k_count, np.nan)
                        column[k] = value
            nodes = next_nodes
        if progress is not None:
            progress(members.stop / k_count)
    return GroupEvaluation(step_yield=yields, quality_margin=margins, quality_means=means,
                           good_pieces_left=pieces_left)


# QUALITY_SPECS and THICKNESS_DEVIATION live in twin.optimise.quality_margins; kept here for their readers
__all__ = ["GroupEvaluation", "QUALITY_SPECS", "SampleState", "THICKNESS_DEVIATION", "UNIT_SHEETS", "baseline_sample",
           "evaluate_group", "good_pieces_per_sheet_left"]
