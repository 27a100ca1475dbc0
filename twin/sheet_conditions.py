"""Process variation a transfer unit sees at a step: the random draws behind emergent yield.

Unit-level draws (kiln set point, hold time) are shared by the unit; the load spread is systematic by
position in the load; per-sheet scatter is independent; killer defects are Poisson per sheet. Every
draw comes from the generator the caller passes (seeded per station and replication):
:func:`sample_conditions` draws one unit at a time (evaluate, optimiser), :class:`StationConditions`
draws a station's per-sheet scatter in blocks for the plant twin.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np

from process_models.through_defects import through_defect_density_per_m2
from twin.operations import operation_for
from twin.scenario import Scenario
from twin.scenario.route import RouteStep
from twin.sheet_batch import SHEET_STATE_FIELDS

_DEAD_PIECES_ROW = SHEET_STATE_FIELDS.index("dead_cell_pieces")
_LATENT_PIECES_ROW = SHEET_STATE_FIELDS.index("latent_defect_pieces")


class _DrawPlan:
    """What one step draws per unit, worked out once per (step, variation) instead of per unit.

    A gigafactory year is ~1e5 units; the operation's draw list, attribute lookups and one generator call
    per quantity cost more than the draws themselves. All per-sheet normal draws of a block of sheets
    come from one ``standard_normal((k, n))`` call (row r is quantity r), unit-level normals from one
    ``standard_normal(m)`` call: the same distributions as separate ``normal`` calls, fewer calls.
    """

    __slots__ = ("operation", "kill_probability", "cells_per_sheet", "piece_hit_probability", "piece_loss_survival",
                 "sheet_normals", "batch_normals", "detection", "load_spread_K", "latent_sizes",
                 "defect_detection", "any_piece_hit_probability", "survival_by_piece")

    def __init__(self, scenario: Scenario, step: RouteStep):
        density_per_m2 = killer_defect_density_per_m2(scenario, step)
        self.kill_probability = float(-np.expm1(-density_per_m2 * scenario.sheet_area_m2))
        # Defects land uniformly on the sheet: each of its c cell pieces is hit with the Poisson
        # probability of its own area, independently (a Poisson field split into disjoint areas).
        self.cells_per_sheet = scenario.cell.format.cells_per_sheet
        self.piece_hit_probability = float(-np.expm1(-density_per_m2 * scenario.sheet_area_m2
                                                      / self.cells_per_sheet))
        self.piece_loss_survival = _binomial_survival_table(self.cells_per_sheet, self.piece_hit_probability)
        # P(K > 0) for a sheet with all its pieces open: a draw at or above it hits nothing
        self.any_piece_hit_probability = float(self.piece_loss_survival[self.cells_per_sheet, 0])
        # the same table by piece j (rows), remaining pieces r (columns), for pieces_hit_by_defects
        self.survival_by_piece = np.ascontiguousarray(self.piece_loss_survival.T)
        self.survival_by_piece.flags.writeable = False
        operation = self.operation = operation_for(step)
        # the step's own quantities: (name, mean, sd, low clip, high clip); sd 0 means the constant mean
        sheet, batch = operation.variation_draws(scenario, step)
        self.load_spread_K = operation.load_spread_K(scenario, step)
        self.detection = operation.needs_detection_draw(scenario, step)
        # sized (latent) defects: one more uniform per sheet draws the largest size (twin.inspection_methods)
        self.latent_sizes = step.defect_size is not None and self.kill_probability > 0
        self.defect_detection = operation.needs_defect_detection_draw(scenario, step)
        self.sheet_normals = tuple(sheet)
        self.batch_normals = tuple(batch)


def killer_defect_density_per_m2(scenario: Scenario, step: RouteStep) -> float:
    """The killer defects per m2 a step adds to this scenario's sheets.

    ``defect_density_per_m2`` as given, unless the step's defects cross the electrolyte
    (``through_defects``): then the density stated at the reference thickness is moved to the cell's
    design electrolyte thickness by the flaw-size law (process_models.through_defects), exactly the
    stated density at the reference. The design thickness, not each sheet's: the defect draw is made
    before the step sets the sheet's thickness, and one density per step keeps the binomial tables.
    """
    through = step.through_defects
    if through is None or step.defect_density_per_m2 == 0:
        return step.defect_density_per_m2
    return float(through_defect_density_per_m2(scenario.cell.electrolyte.thickness_um * 1e-6,
                                               step.defect_density_per_m2,
                                               through.reference_thickness_um * 1e-6, through.size_exponent))


def binomial_survival(trials: int, p: float) -> np.ndarray:
    """``P(K > j)`` for ``K ~ Binomial(trials, p)``, j = 0..trials-1 (numpy; no scipy.stats import).

    The binomial pmf ``C(n, k) p^k (1-p)^(n-k)`` summed from the upper tail down, so small tail
    probabilities keep their relative precision (no ``1 - cdf`` cancellation).
    """
    k = np.arange(trials + 1)
    combinations = np.array([math.comb(trials, int(j)) for j in k], dtype=float)
    pmf = combinations * np.power(p, k) * np.power(1.0 - p, trials - k)
    tail = np.cumsum(pmf[::-1])[::-1]  # tail[j] = P(K >= j)
    return np.minimum(tail[1:], 1.0)


def _binomial_survival_table(cells: int, p: float) -> np.ndarray:
    """``table[r, j] = P(K > j)`` for ``K ~ Binomial(r, p)``, r = 0..cells, j = 0..cells-1 (read-only)."""
    table = np.zeros((cells + 1, max(cells, 1)))
    for remaining in range(1, cells + 1):
        table[remaining, :remaining] = binomial_survival(remaining, p)
    # a one-cell sheet is killed with exactly the kill probability (its draw compares with p itself)
    table[1, 0] = p
    table.flags.writeable = False
    return table


def defect_piece_loss_survival(scenario: Scenario, step: RouteStep) -> np.ndarray:
    """Survival table of the cell pieces a step's killer defects take from a sheet.

    ``table[r, j]`` is the probability that more than ``j`` of a sheet's ``r`` remaining pieces are hit
    (Binomial(r, p), p the Poisson hit probability of one piece). A sheet with uniform draw ``u`` loses
    ``k = #{j : u < table[r, j]}`` pieces: inversion of the binomial distribution with one uniform per
    sheet (for a one-cell sheet, ``u < p``: the whole-sheet kill).
    """
    return _draw_plan(scenario, step).piece_loss_survival


# Units whose unit-level draws a station makes at once (assumption: a few hundred kiln loads, a month of a
# gigafactory kiln line; the stream is the same whatever the block, only the calls per unit fall)
UNIT_BLOCK = 256

_PLAN_CACHE: dict[int, tuple] = {}
_PLAN_CACHE_SIZE = 256


def pieces_hit_by_defects(scenario: Scenario, step: RouteStep, state_values: np.ndarray, alive: np.ndarray,
                          defect_draw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Alive sheets a step's killer defects hit, and how many of their open pieces each loses.

    ``state_values``: the (fields x sheets) state; ``defect_draw``: one uniform per sheet. A sheet with r
    open pieces (neither dead nor carrying a latent defect) loses k ~ Binomial(r, p) of them, drawn by
    inversion from its uniform (``defect_piece_loss_survival``). Returns (sheet indices, k >= 0 each).
    """
    plan = _draw_plan(scenario, step)
    # P(K > 0) is largest for a sheet with all its pieces: a draw above it hits no sheet, so only the
    # few draws below it (~D A of them) are looked at piece by piece
    hit = (defect_draw < plan.any_piece_hit_probability).nonzero()[0]  # 1-D: np.flatnonzero without its wrapper
    hit = hit[alive[hit]]
    if hit.size == 0:
        return hit, np.zeros(0, dtype=np.intp)
    # rint: the evaluation's expected detection moves fractions of pieces from latent to dead, whose sum
    # stays a whole number up to rounding (twin.expected_outcomes)
    open_pieces = state_values[_DEAD_PIECES_ROW][hit]
    open_pieces += state_values[_LATENT_PIECES_ROW][hit]
    np.rint(open_pieces, out=open_pieces)
    remaining = plan.cells_per_sheet - open_pieces.astype(np.intp)
    # k = #{j : u < table[r, j]}, counted over the table's columns (pieces) for all hit sheets at once:
    # a reduction over a short last axis (survival[remaining].sum(axis=1)) costs a loop per sheet, ~3-5x
    # the time of this one for a roll's ~200 hit sheets (the plant asks ~3e4 times a year); same counts
    return hit, np.add.reduce(defect_draw[hit] < plan.survival_by_piece.take(remaining, axis=1), axis=0)


def _draw_plan(scenario: Scenario, step: RouteStep) -> _DrawPlan:
    # Keyed by identity (scenario models are frozen); the stored references make a reused id harmless. The
    # plan also reads the sheet's area, piece count and electrolyte thickness (through-thickness defects): a
    # copy of a scenario sharing the step (model_copy) may change any of them, so all are part of the key.
    cached = _PLAN_CACHE.get(id(step))
    cells_per_sheet = scenario.cell.format.cells_per_sheet
    thickness_um = scenario.cell.electrolyte.thickness_um
    if cached is not None and cached[0] is step and cached[1] is scenario.variation \
            and cached[2] == scenario.sheet_area_m2 and cached[3] == cells_per_sheet and cached[5] == thickness_um:
        return cached[4]
    plan = _DrawPlan(scenario, step)
    if len(_PLAN_CACHE) >= _PLAN_CACHE_SIZE:
        _PLAN_CACHE.clear()
    _PLAN_CACHE[id(step)] = (step, scenario.variation, scenario.sheet_area_m2, cells_per_sheet, plan, thickness_um)
    return plan


@functools.lru_cache(maxsize=64)
def _load_position(n: int) -> np.ndarray:
    """Position of each sheet in a load of ``n``, -0.5 (first) .. +0.5 (last); read-only, shared."""
    position = np.linspace(-0.5, 0.5, n) if n > 1 else np.zeros(n)
    position.flags.writeable = False
    return position


def _normals(rng: np.random.Generator, specs: tuple, shape: tuple) -> dict[str, np.ndarray]:
    """Draw every quantity of ``specs`` (name, mean, sd, low, high) from one standard-normal block."""
    drawn = [spec for spec in specs if spec[2] > 0]
    block = rng.standard_normal((len(drawn),) + shape) if drawn else None
    values: dict[str, np.ndarray] = {}
    row = 0
    for name, mean, sd, low, high in specs:
        if sd > 0:
            values[name] = _scaled_in_place(block[row], mean, sd, low, high)  # a row view
            row += 1
        else:
            values[name] = _fixed(shape, mean, low, high)
    return values


def _scaled_in_place(value: np.ndarray, mean: float, sd: float, low, high) -> np.ndarray:
    """Standard normals turned into mean + sd z, clipped to [low, high], in place."""
    value *= sd
    value += mean
    # maximum/minimum in place: what np.clip does, without its Python-level dispatch
    if low is not None:
        np.maximum(value, low, out=value)
    if high is not None:
        np.minimum(value, high, out=value)
    return value


def _fixed(shape, mean: float, low, high) -> np.ndarray:
    """A quantity without scatter: its mean, clipped to [low, high]."""
    value = np.full(shape, max(mean, low) if low is not None else mean, dtype=float)
    if high is not None:
        np.minimum(value, high, out=value)
    return value


def _draw_sheet_values(plan: _DrawPlan, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """The independent per-sheet draws of ``n`` sheets, already in their final form."""
    values: dict[str, np.ndarray] = {}
    # The process scatter first: a what-if that switches defects or an inspection's miss draw on or
    # off then leaves every sheet's scatter as it was (common random numbers).
    if plan.sheet_normals:
        values.update(_normals(rng, plan.sheet_normals, (n,)))
    # One uniform per sheet decides its killer defects: the pieces it loses follow by inverting the
    # binomial distribution (apply_step, defect_piece_loss_survival); no draw without defects.
    if plan.kill_probability > 0:
        values["defect_draw"] = rng.random(n)
    if plan.detection:
        values["detection_draw"] = rng.random(n)
    # drawn after the others, so a scenario without sized defects or methods keeps every draw it had
    if plan.latent_sizes:
        values["defect_size_draw"] = rng.random(n)
    if plan.defect_detection:
        values["defect_detection_draw"] = rng.random(n)
    plan.operation.finish_sheet_draws(values)
    return values


def _draw_unit_values(plan: _DrawPlan, rng: np.random.Generator) -> dict[str, float]:
    """The draws a whole transfer unit shares (kiln set point, hold time), as plain floats."""
    if not plan.batch_normals:
        return {}
    return {name: float(value[0]) for name, value in _normals(rng, plan.batch_normals, (1,)).items()}


def _unit_values_block(plan: _DrawPlan, rng: np.random.Generator, units: int) -> list[dict[str, float]]:
    """The unit-level draws of the next ``units`` units, each as :func:`_draw_unit_values` gives it.

    One ``standard_normal((units, m))`` call gives unit i the normals number i m .. i m + m - 1 of the
    stream, the ones its own ``standard_normal((m, 1))`` call would have drawn (a Generator's normals
    come one after the other, with nothing carried between calls), and each quantity's column is
    scaled and clipped with the same operations: the same floats, one generator call per block.
    """
    specs = plan.batch_normals
    drawn = sum(1 for spec in specs if spec[2] > 0)
    block = rng.standard_normal((units, drawn)) if drawn else None
    columns: dict[str, np.ndarray] = {}
    column = 0
    for name, mean, sd, low, high in specs:
        if sd > 0:
            columns[name] = _scaled_in_place(block[:, column].copy(), mean, sd, low, high)
            column += 1
        else:
            columns[name] = _fixed(units, mean, low, high)
    listed = {name: values.tolist() for name, values in columns.items()}  # Python floats, as float(value[0])
    return [{name: listed[name][unit] for name in listed} for unit in range(units)]


def _assemble(plan: _DrawPlan, sheet_values: dict[str, np.ndarray], unit_values: dict[str, float],
              n: int) -> dict[str, np.ndarray]:
    return plan.operation.assemble_unit_draws(sheet_values, unit_values, _load_position(n), plan.load_spread_K)


def step_changes_sheets(scenario: Scenario, step_index: int) -> bool:
    """False for a step that neither draws nor changes any sheet (drying, cutting, packaging without
    killer defects): the plant can skip its physics call, the random streams stay the same."""
    step = scenario.route[step_index]
    plan = _draw_plan(scenario, step)
    return plan.kill_probability > 0 or plan.operation.changes_sheets


def sample_conditions(scenario: Scenario, step_index: int, n: int, rng: np.random.Generator,
                      step: RouteStep | None = None) -> dict[str, np.ndarray]:
    """Draw the process conditions one transfer unit of ``n`` sheets sees at a step.

    Unit-level draws (furnace set point, hold time) are shared by the unit; the load spread is
    systematic by position in the load (first to last sheet spans -spread/2..+spread/2, e.g. bottom to
    top of a kiln stack); per-sheet scatter is independent. A sheet of c cells loses each cell piece
    to a step's killer defects with probability 1 - exp(-D A / c) and is scrapped only when every
    piece is lost (one cell: the Poisson yield exp(-D A)).
    """
    step = scenario.route[step_index] if step is None else step
    plan = _draw_plan(scenario, step)
    unit_values = _draw_unit_values(plan, rng)
    return _assemble(plan, _draw_sheet_values(plan, rng, n), unit_values, n)


class StationConditions:
    """Conditions of the successive units one station processes, per-sheet draws made ahead in blocks.

    The plant's stations process ~1e5 units a year: drawing each unit's per-sheet scatter in its own
    generator calls cost more than the draws. Here the per-sheet draws come from ``sheet_rng`` in
    blocks of ``block_sheets`` sheets and each unit takes the next ``n`` (read-only views); the
    unit-level draws come from ``unit_rng``. So the k-th sheet a station processes gets the k-th
    per-sheet draw of its stream whatever the unit sizes: common random numbers hold sheet by sheet
    between scenarios that cut their units differently. Same distributions as :func:`sample_conditions`.
    ``derive`` adds per-sheet values computed from a whole block of draws (a state-free step's result,
    twin.sheet_physics.precompute_state_free); they are sliced with the draws.
    """

    def __init__(self, scenario: Scenario, step_index: int, sheet_rng: np.random.Generator,
                 unit_rng: np.random.Generator, block_sheets: int = 32768,
                 derive: Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]] | None = None):
        self.step = scenario.route[step_index]
        self._plan = _draw_plan(scenario, self.step)
        self._derive = derive
        self._sheet_rng = sheet_rng
        self._unit_rng = unit_rng
        self._block_sheets = int(block_sheets)
        self._block: dict[str, np.ndarray] = {}
        self._next = self._block_sheets  # no block yet: the first unit draws one
        # unit-level draws (a kiln load's set point and hold time) made ahead too, UNIT_BLOCK units at a time
        self._unit_block: list[dict[str, float]] = []
        self._unit_next = 0

    def _new_block(self) -> None:
        # always the same block size: the stream's layout, so each sheet's draw, must not depend on the
        # unit sizes that consume it
        block = _draw_sheet_values(self._plan, self._sheet_rng, self._block_sheets)
        if self._derive is not None:
            block.update(self._derive(block))
        for values in block.values():
            values.flags.writeable = False  # a unit's conditions are views: nobody may change them
        self._block, self._next = block, 0

    def next_unit(self, n: int) -> dict[str, np.ndarray]:
        """Conditions of the next unit of ``n`` sheets."""
        pieces = []
        needed = n
        while needed > 0 or not pieces:
            if self._next == self._block_sheets:
                self._new_block()
            taken = min(needed, self._block_sheets - self._next)
            # [..., a:b]: per-sheet values are the last axis (derived arrays may have rows of fields)
            pieces.append({name: values[..., self._next:self._next + taken] for name, values in self._block.items()})
            self._next += taken
            needed -= taken
        sheet_values = pieces[0] if len(pieces) == 1 else {
            name: np.concatenate([piece[name] for piece in pieces], axis=-1) for name in pieces[0]}
        return _assemble(self._plan, sheet_values, self._next_unit_values(), n)

    def _next_unit_values(self) -> dict[str, float]:
        if not self._plan.batch_normals:
            return {}
        if self._unit_next == len(self._unit_block):
            # a unit's two normals cost ~25 us in their own generator call, ~1e4 kiln loads a year
            self._unit_block = _unit_values_block(self._plan, self._unit_rng, UNIT_BLOCK)
            self._unit_next = 0
        values = self._unit_block[self._unit_next]
        self._unit_next += 1
        return values


def expected_cell_piece_yield(scenario: Scenario) -> float:
    """Expected share of good cell pieces on a sheet that defects did not scrap whole.

    A piece survives every step's killer defects with Q = exp(-sum_s D_s A / c); a sheet is scrapped
    only when all c pieces are lost, so among kept sheets the good share is Q / (1 - (1 - Q)^c).
    Equals 1 for one cell per sheet (whole-sheet scrap).
    """
    cells = scenario.cell.format.cells_per_sheet
    if cells == 1:
        return 1.0
    total_density_per_m2 = sum(killer_defect_density_per_m2(scenario, step) for step in scenario.route)
    piece_survival = float(np.exp(-total_density_per_m2 * scenario.sheet_area_m2 / cells))
    kept = 1.0 - (1.0 - piece_survival) ** cells
    return piece_survival / kept if kept > 0 else 0.0


__all__ = ["StationConditions", "defect_piece_loss_survival", "expected_cell_piece_yield", "pieces_hit_by_defects",
           "sample_conditions",
           "step_changes_sheets", "killer_defect_density_per_m2"]
