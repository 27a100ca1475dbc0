"""The process route applied to sheets: every sheet carries its own physical state.

A transfer unit (a roll, a kiln load, a lot) is a :class:`SheetBatch` of numpy arrays, one entry per
sheet. :func:`sample_conditions` draws the process variation the unit sees (batch-level furnace set
point, load-position spread, per-sheet scatter) and :func:`apply_step` calls ``process_models`` to
update each sheet's state, then scraps sheets that fail — so yield emerges from physics and variation.
No formula lives here: only the mapping from recipe fields to physics arguments. Firings are in
:mod:`twin.sheet_firing`, the layer properties several steps update in :mod:`twin.sheet_layers`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from twin.capacity import station_timing
from twin.inspection_methods import add_latent_defects
from twin.operations import operation_for
from twin.operations.li_lamination import INTERFACE_ASR_FULL_CONTACT_OHM_M2
from twin.scenario import Scenario
from twin.scenario.batpac_plant import fixed_cell_yield_at
from twin.scenario.route import RouteStep
from twin.sheet_batch import CAUSE_INDEX, SCRAP_CAUSES, SHEET_STATE_FIELDS, SheetBatch, lose_pieces
from twin.sheet_conditions import (
    StationConditions,
    pieces_hit_by_defects,
    sample_conditions,
    step_changes_sheets,
)
from twin.sheet_exposure import LINE_TIME, apply_exposure_effects, book_exposure, sheet_line_times_s
from twin.sheet_firing import COVER_LEAKAGE_FRACTION

_DEAD_PIECES_ROW = SHEET_STATE_FIELDS.index("dead_cell_pieces")

_ALL_SHEETS = slice(None)


def _lose_cell_pieces(scenario: Scenario, step: RouteStep, batch: SheetBatch, defect_draw: np.ndarray,
                      step_index: int) -> None:
    """Count the cell pieces newly lost to killer defects; scrap a sheet when all its pieces are lost.

    A sheet with r good pieces loses k ~ Binomial(r, p) of them, drawn by inversion from its one
    uniform (``defect_piece_loss_survival``).
    """
    hit, lost = pieces_hit_by_defects(scenario, step, batch.values, batch.alive, defect_draw)
    if hit.size == 0:
        return
    cells = scenario.cell.format.cells_per_sheet
    dead = batch.values[_DEAD_PIECES_ROW]
    lose_pieces(batch.values, hit, lost, "defect")   # a killer defect (unsized: found where it is made)
    lost_all = hit[dead[hit] >= cells]  # a sheet whose other pieces are latent goes on: they may escape
    if lost_all.size:
        batch.scrap_sheets(lost_all, step_index, "defect")


def good_cell_pieces(batch: SheetBatch, cells_per_sheet: int) -> float:
    """Good cell pieces on the alive sheets of ``batch`` (pieces lost to defects taken off)."""
    lost = batch.state["dead_cell_pieces"][batch.alive]
    return float(np.count_nonzero(batch.alive) * cells_per_sheet - lost.sum())


# Key of the conditions that carry a state-free step's result computed ahead (precompute_state_free)
PRECOMPUTED_STATE = "precomputed_state"


def state_free_fields(step: RouteStep) -> tuple[str, ...]:
    """The state fields a step sets from its own draws and recipe alone, or () if it reads earlier state.

    Such a step gives a sheet the same result whenever and in whichever unit it runs, so the plant can
    compute it for a whole block of sheets ahead (:func:`precompute_state_free`) and copy each unit's
    share in: one vectorised call per ~3e4 sheets instead of one per roll. Tape casting and cathode
    spraying set a fresh layer; lamination sets the Li/electrolyte interface from its own pressure and
    surface draws. An electrolyte spray also sets transport from the phases a firing may have left.
    """
    return operation_for(step).state_free_fields(step)


@functools.lru_cache(maxsize=256)
def _state_free_rows(step: RouteStep) -> np.ndarray:
    rows = np.array([SHEET_STATE_FIELDS.index(field) for field in state_free_fields(step)], dtype=np.intp)
    rows.flags.writeable = False
    return rows


def precompute_state_free(scenario: Scenario, step_index: int, conditions: dict[str, np.ndarray],
                          scratch: SheetBatch | None = None) -> np.ndarray:
    """What a state-free step sets on sheets with these per-sheet ``conditions``, ahead of the units.

    Returns a (fields x sheets) array in the order of :func:`state_free_fields`; passed to
    :func:`apply_step` as ``conditions[PRECOMPUTED_STATE]`` (sliced with the unit's other conditions)
    it is copied in instead of computed, after the unit's killer defects. Computed by this module's own
    :func:`apply_step` on fresh sheets, so there is one implementation of each step. ``scratch``, fresh
    sheets of the same count from an earlier call, saves allocating them again (the step writes only
    its own fields and reads none, so what an earlier call left there does not matter).
    """
    step = scenario.route[step_index]
    if not state_free_fields(step):
        raise ValueError(f"route step {step.name!r} reads earlier state: it cannot be computed ahead")
    sheets = max(np.shape(values)[-1] for values in conditions.values())
    fresh = scratch if scratch is not None and scratch.n == sheets else SheetBatch.new(sheets)
    ahead = {name: values for name, values in conditions.items()
             if name not in ("defect_draw", "detection_draw", "defect_size_draw")}
    apply_step(scenario, step_index, fresh, ahead, step=step)
    return fresh.values[_state_free_rows(step)]


def apply_step(scenario: Scenario, step_index: int, batch: SheetBatch, conditions: dict[str, np.ndarray],
               step: RouteStep | None = None) -> None:
    """Advance the alive sheets of ``batch`` through one route step, in place."""
    step = scenario.route[step_index] if step is None else step
    defect_draw = conditions.get("defect_draw")
    if defect_draw is not None:
        if step.defect_size is None:
            _lose_cell_pieces(scenario, step, batch, defect_draw, step_index)
        else:  # sized defects stay latent until an inspection method finds them
            add_latent_defects(scenario, step, batch, defect_draw, conditions["defect_size_draw"], step_index)
    survive = fixed_cell_yield_at(scenario, step.name)
    if survive is not None:  # BatPaC fixed-yield mode: that share of the live pieces is rejected, exactly
        dead = batch.state["dead_cell_pieces"]
        rejected = (1.0 - survive) * (scenario.cell.format.cells_per_sheet - dead[batch.alive])
        lose_pieces(batch.values, batch.alive, rejected, "batpac_fixed_yield")
        # BatPaC's yield is a share of whole cells: after stacking they leave as cells, taking no cellmates
        batch.state["stacked_pieces"][batch.alive] -= rejected   # NaN (not yet stacked) stays NaN
    alive = batch.alive
    # Usually every sheet of a unit is alive (the plant removes scrap at each station): then the
    # state rows are worked on as views instead of gathered and scattered through an index array.
    idx = _ALL_SHEETS if np.count_nonzero(alive) == alive.size else np.flatnonzero(alive)
    state = batch.state
    book_exposure(scenario, step_index, step, state, conditions, idx)  # zone air since the last step
    precomputed = conditions.get(PRECOMPUTED_STATE)
    if precomputed is not None:
        rows = _state_free_rows(step)
        if idx is _ALL_SHEETS:
            batch.values[rows] = precomputed
        else:
            batch.values[np.ix_(rows, idx)] = precomputed[:, idx]
        apply_exposure_effects(scenario, step, state, conditions, idx)
        return
    if not operation_for(step).apply(scenario, step, step_index, batch, conditions, idx):
        return  # the whole unit was scrapped (an interrupted firing under the "scrap" policy)
    apply_exposure_effects(scenario, step, state, conditions, idx)


def _unit_size(scenario: Scenario, step_index: int, n: int, unit_sheets: int | None) -> int:
    """Sheets per unit :func:`run_route` runs a step in: a firing's station load, else all ``n`` at once."""
    step = scenario.route[step_index]
    if not operation_for(step).is_firing:
        return n
    size = unit_sheets if unit_sheets is not None else station_timing(scenario, step.name).unit_sheets
    return max(1, min(size, n))


def _unit_sizes(scenario: Scenario, step_index: int, n: int, unit_sheets: int | None) -> list[int]:
    size = _unit_size(scenario, step_index, n, unit_sheets)
    return [min(size, n - start) for start in range(0, n, size)]


def _joined_loads(step: RouteStep, loads: list[tuple[int, dict]]) -> dict | None:
    """The conditions of ``loads`` ((sheets, conditions) each) end to end, if the step gives every sheet
    the same in one call as in its own load's; else None.

    Per-sheet arrays (last axis one entry per sheet) are joined; anything else must be the same object or
    value in every load.
    """
    load_conditions = [conditions for _, conditions in loads]
    if len(loads) < 2 or not operation_for(step).loads_fire_alike(step, load_conditions):
        return None
    first = load_conditions[0]
    joined = {}
    for key, value in first.items():
        values = [conditions.get(key) for conditions in load_conditions]
        if isinstance(value, np.ndarray) and value.ndim >= 1:
            if not all(isinstance(v, np.ndarray) and v.ndim == value.ndim and v.shape[:-1] == value.shape[:-1]
                       and v.shape[-1] == sheets for v, (sheets, _) in zip(values, loads, strict=True)):
                return None
            joined[key] = np.concatenate(values, axis=-1)
        elif all(v is value or (np.ndim(v) == 0 and v == value) for v in values):
            joined[key] = value
        else:
            return None
    if any(conditions.keys() != first.keys() for conditions in load_conditions):
        return None
    return joined


def run_route(scenario: Scenario, n: int, rng: np.random.Generator, unit_sheets: int | None = None,
              checkpoints: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
              after_step: Callable[[int, SheetBatch], None] | None = None,
              expected_outcomes: bool = False, estimator_block_sheets: int | None = None) -> SheetBatch:
    """Push ``n`` sheets through every step of the route.

    Only firings draw conditions shared by a transfer unit (kiln set point, hold time): they run in
    units of ``unit_sheets`` sheets (default: the station's load). Every other step shares no draws
    between sheets, so its sheets run as one unit. ``checkpoints``, if given, receives for every
    quality check ``name -> (alive entering it, state matrix as it measured them)``: the distribution
    each spec judged, before later steps change the state. ``after_step(step_index, batch)``, if given,
    sees the whole sample after each step (the report's yield funnel counts good cell pieces there).
    ``expected_outcomes``: the evaluation's estimator (twin.expected_outcomes, twin.sample_estimator):
    defect draws stratified in blocks of ``estimator_block_sheets`` sheets (default ``unit_sheets``), and
    detection carried as an expectation at checks with a method where that is exact; the plant twin
    leaves it off (real draws).
    """
    batch = SheetBatch.new(n)
    # One stream per step, split from one draw of ``rng``: a what-if that adds or removes draws at one
    # step (an inspection's miss draw, a new variation) leaves every other step's draws unchanged, so
    # two evaluations differ by the physics of the change, not by re-shuffled sampling noise.
    streams = np.random.SeedSequence(int(rng.integers(0, 2**63)))
    step_streams = streams.spawn(len(scenario.route))
    # each sheet's own exposure clock (twin.sheet_exposure), from a stream of its own after the steps'
    blocks = estimator_block_sheets or unit_sheets or n
    line_times = sheet_line_times_s(scenario, n, np.random.default_rng(streams.spawn(1)[0]), blocks)
    estimator = None
    if expected_outcomes:
        from twin.sample_estimator import SampleEstimator

        estimator = SampleEstimator(scenario, step_streams, estimator_block_sheets or unit_sheets or n,
                                    lambda index: _unit_sizes(scenario, index, n, unit_sheets))
    if checkpoints is not None:
        from twin.quality_checkpoints import measured_at_check  # it imports the operations, as this module does
    for step_index, step in enumerate(scenario.route):
        step_rng = np.random.default_rng(step_streams[step_index])
        size = _unit_size(scenario, step_index, n, unit_sheets)
        if size >= n:
            conditions = sample_conditions(scenario, step_index, n, step_rng)
            conditions[LINE_TIME] = line_times[step_index]
            if estimator is not None:
                estimator.adjust(step_index, conditions)
            if checkpoints is not None and operation_for(step).is_quality_check:
                # what the check judges: the sheets entering it with the wait's zone air booked
                checkpoints[step.name] = measured_at_check(scenario, step_index, batch, conditions)
            apply_step(scenario, step_index, batch, conditions)
        else:
            if checkpoints is not None and operation_for(step).is_quality_check:   # a check runs whole, not in loads
                checkpoints[step.name] = (batch.alive.copy(), batch.values.copy())
            loads = []
            for start in range(0, n, size):
                count = min(size, n - start)
                conditions = sample_conditions(scenario, step_index, count, step_rng)
                conditions[LINE_TIME] = line_times[step_index, start:start + count]
                if estimator is not None:
                    estimator.adjust(step_index, conditions)
                loads.append((start, conditions))
            joined = _joined_loads(step, [(min(size, n - start), conditions) for start, conditions in loads])
            if joined is not None:  # the loads fire alike: one call, each sheet with its own load's draws
                apply_step(scenario, step_index, batch, joined)
            else:
                for start, conditions in loads:
                    # a slice's subset is views of the sample's arrays: the unit's physics writes into the
                    # sample in place (no per-unit copies to join afterwards)
                    part = batch.subset(slice(start, min(start + size, n)))
                    apply_step(scenario, step_index, part, conditions)
        if estimator is not None:   # it books the sheets a latent-making step hit (twin.sample_estimator)
            estimator.after_step(step_index, batch)
        if after_step is not None:
            after_step(step_index, batch)
    return batch


__all__ = [
    "CAUSE_INDEX",
    "COVER_LEAKAGE_FRACTION",
    "INTERFACE_ASR_FULL_CONTACT_OHM_M2",
    "SCRAP_CAUSES",
    "SHEET_STATE_FIELDS",
    "PRECOMPUTED_STATE",
    "SheetBatch",
    "StationConditions",
    "apply_step",
    "good_cell_pieces",
    "precompute_state_free",
    "run_route",
    "sample_conditions",
    "state_free_fields",
    "step_changes_sheets",
]
