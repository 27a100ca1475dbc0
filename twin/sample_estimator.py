"""The evaluation's variance reduction (twin.expected_outcomes) applied to the conditions of each unit.

:func:`twin.sheet_physics.run_route` with ``expected_outcomes`` asks :class:`SampleEstimator` to adjust the
conditions it drew for every unit: the defect and size draws stratified, and at a check with an
inspection method the sheets whose detection is carried as an expectation. A check before a later
latent-making step carries it only for the sheets that step's defects cannot hit: their defect draws are
known ahead (a step's conditions depend on its own stream only, so they are drawn ahead from a copy of the
same stream and reused unchanged when the step runs). A sheet they may hit keeps its detection draw: a new
defect's size joins the largest of the ones still latent, which a fractional state cannot split.

Rao-Blackwellised detection (when run_route shows it the sample after each step, :meth:`after_step`): a
sheet that one latent-making step hit with n pieces (none latent before), and that no later one may hit,
has its pieces found at each later check j booked from E[M_j | n] instead of M_j at its drawn size, with
M_j(a) = prod (1 - POD_k(a)) over the checks k after the maker up to j, averaged over the size law of the
largest of n defects (twin.escape_variance.mean_missed_share): the share found at j is 1 - E[M_j] /
E[M_(j-1)], so the pieces shipped latent are n E[M | n] and each check finds n (E[M_(j-1)] - E[M_j]).
These are the conditional expectations of what the drawn size gave, given everything but the size
uniform, which nothing else of the sheet depends on (whether it is hit, n, whether it ships): unbiased by
the tower rule, and by Rao-Blackwell no more variable; the rare smallest defects that make most escapes
are then in every hit sheet's share instead of in the few sheets that drew them (oxide_baseline, 200
seeds: escape ppm sd 868 -> 70). Found + latent stay n, so the pieces' identities hold as before. Which
sheets are booked so depends on defect draws and earlier checks only, never on the size uniform. Without
:meth:`after_step` (the optimiser's candidate sweep, one step per estimator) detection is the POD at the
drawn size, as before.

Seeing the sample also sharpens which sheets keep their draw at a check: a later step's defects can hit
only pieces still open (neither dead nor latent), and those only fall in number, so a sheet whose draw
there is above the hit probability of the pieces open as it enters the check (Binomial, P(K > 0 | r)) is
not hit: its detection is expected too. Without it (a draw below the all-open P, ~P per hit sheet) the
smallest defects of the sheets kept so swung the figure (oxide_baseline, 200 seeds: escape ppm sd 70 -> 42
with this test).
"""

from __future__ import annotations

import numpy as np

from twin.escape_variance import mean_missed_share, missed_on_size_grid
from twin.expected_outcomes import (
    EXPECTED_DETECTION,
    EXPECTED_FOUND_SHARE,
    latent_steps,
    stratified_subset,
    stratified_uniforms,
)
from twin.operations import operation_for
from twin.scenario import Scenario
from twin.seedless import SeedlessCache
from twin.sheet_batch import SHEET_STATE_FIELDS
from twin.sheet_conditions import defect_piece_loss_survival, sample_conditions

# The E[M | n] tables by (maker, check), kept per scenario without its seed (twin.seedless): they read the
# route's size laws, the checks' POD and the cell format, never a draw, and the API evaluates many seeds of one
# scenario (~5 tables an evaluation of oxide_baseline, each a POD product over the size grid)
_MEAN_MISSED: SeedlessCache[dict[tuple[int, int], np.ndarray]] = SeedlessCache(8)  # assumption: a few at once

_LATENT_ROW = SHEET_STATE_FIELDS.index("latent_defect_pieces")
_DEAD_ROW = SHEET_STATE_FIELDS.index("dead_cell_pieces")


class SampleEstimator:
    """Adjusts the conditions :func:`twin.sheet_physics.run_route` draws for each unit (module docstring).

    ``unit_sizes(step_index)``: the sheet counts of the units the route runs that step in, in order.
    """

    def __init__(self, scenario: Scenario, step_streams: list, block_sheets: int, unit_sizes):
        self.scenario = scenario
        self.step_streams = step_streams
        self.block_sheets = max(1, int(block_sheets))
        self.rngs: dict[int, np.random.Generator] = {}
        self.units_done: dict[int, int] = {}
        self.sheets_done: dict[int, int] = {}       # check -> sheets of its units adjusted so far
        self.ahead: dict[int, list[dict]] = {}      # latent-making step -> its units' stratified draws
        route = scenario.route
        makers = latent_steps(scenario)
        self.checks = {index for index, step in enumerate(route)
                       if operation_for(step).is_quality_check and getattr(step, "method", None) is not None}
        # the later latent-making steps each check must look ahead to
        self.later_makers = {check: [m for m in makers if m > check] for check in self.checks}
        self.looked_ahead = {m for later in self.later_makers.values() for m in later}
        self.unit_sizes = unit_sizes
        self.makers = makers
        # the Rao-Blackwellised sheets (module docstring), set by after_step: maker (-1: none), pieces hit,
        # and E[M | n] through the last check so far
        self.booked_maker: np.ndarray | None = None
        self.booked_pieces: np.ndarray | None = None
        self.booked_missed: np.ndarray | None = None
        self.latent_before: np.ndarray | None = None
        self._mean_missed: dict[tuple[int, int], np.ndarray] | None = None   # _mean_missed_tables, when asked
        self.open_pieces: dict[int, np.ndarray] = {}   # check -> open pieces per sheet entering it (after_step)
        self.hit_probabilities: dict[int, float] = {}   # step -> _hit_probability (a table look-up, kept)
        self.hit_ahead: dict[int, np.ndarray] = {}      # latent-making step -> sheets of the sample it may hit

    def _ahead(self, maker: int) -> list[dict]:
        """A later latent-making step's stratified draws, unit by unit, drawn when first needed (the optimiser's
        sweep asks for one step's conditions per estimator: most never need them)."""
        ahead = self.ahead.get(maker)
        if ahead is None:
            step_rng = np.random.default_rng(self.step_streams[maker])   # a copy: the draws the step will get
            ahead = self.ahead[maker] = [self._stratify(maker, sample_conditions(self.scenario, maker, size, step_rng))
                                         for size in self.unit_sizes(maker)]
        return ahead

    def _hit_probability(self, step_index: int) -> float:
        """Probability that a step's defects hit a sheet with all its pieces open (the largest there is)."""
        probability = self.hit_probabilities.get(step_index)
        if probability is None:
            survival = defect_piece_loss_survival(self.scenario, self.scenario.route[step_index])
            probability = self.hit_probabilities[step_index] = float(survival[survival.shape[0] - 1, 0])
        return probability

    def _stratify(self, step_index: int, conditions: dict) -> dict:
        draw = conditions.get("defect_draw")
        if draw is None:
            return {}
        rng = self.rngs.get(step_index)
        if rng is None:  # the strata permutations come from a stream of their own: every other draw stays
            stream = self.step_streams[step_index]
            rng = self.rngs[step_index] = np.random.default_rng(
                np.random.SeedSequence(stream.entropy, spawn_key=stream.spawn_key + (1,)))
        changed = {"defect_draw": stratified_uniforms(draw, rng, self.block_sheets)}
        sizes = conditions.get("defect_size_draw")
        if sizes is not None:  # the largest sizes of the sheets a defect can hit, one per stratum too
            changed["defect_size_draw"] = stratified_subset(
                sizes, changed["defect_draw"] < self._hit_probability(step_index), rng, self.block_sheets)
        return changed

    def after_step(self, step_index: int, batch) -> None:
        """See the whole sample after a step (run_route): the sheets a latent-making step hit are booked for
        the Rao-Blackwellised detection (module docstring), those hit again leave it."""
        latent = batch.values[_LATENT_ROW]
        if step_index in self.makers:
            self._book(step_index, batch, latent)
        if step_index + 1 in self.makers:
            self.latent_before = latent.copy()
        if self.later_makers.get(step_index + 1):
            # the pieces still open (neither dead nor latent) entering a check: only fewer are open when a
            # later step's defects fall, so a draw above the hit probability of this many cannot hit
            taken = np.rint(batch.values[_DEAD_ROW] + latent).astype(np.intp)
            self.open_pieces[step_index + 1] = self.scenario.cell.format.cells_per_sheet - taken

    def _book(self, step_index: int, batch, latent: np.ndarray) -> None:
        """Book the sheets the latent-making step ``step_index`` hit fresh; unbook those it hit again."""
        if self.booked_maker is None:
            self.booked_maker = np.full(batch.n, -1, dtype=np.intp)
            self.booked_pieces = np.zeros(batch.n)
            self.booked_missed = np.ones(batch.n)
        before = self.latent_before if self.latent_before is not None and step_index > 0 else np.zeros(batch.n)
        pieces = latent - before
        hit = batch.alive & (pieces > 0.0)
        self.booked_maker[hit] = -1           # a defect joined to an earlier one's: the drawn size decides
        fresh = hit & (before == 0.0)
        self.booked_maker[fresh] = step_index
        self.booked_pieces[fresh] = np.rint(pieces[fresh])
        self.booked_missed[fresh] = 1.0

    def _found_shares(self, check: int, start: int, expected: np.ndarray) -> np.ndarray:
        """Per sheet of the check's unit: the share of its latent pieces booked found (NaN: POD at its size)."""
        shares = np.full(expected.size, np.nan)
        if self.booked_maker is None:
            return shares
        span = slice(start, start + expected.size)
        makers = self.booked_maker[span]
        makers[~expected] = -1   # a sheet keeping its draw here leaves the booking for good
        pieces = self.booked_pieces[span].astype(np.intp)
        for maker in {int(m) for m in np.unique(makers) if 0 <= m < check}:
            sheets = np.flatnonzero(makers == maker)
            missed = self._mean_missed_table(maker, check)[pieces[sheets]]
            before = self.booked_missed[start + sheets]
            shares[sheets] = 1.0 - missed / np.where(before > 0.0, before, 1.0)
            self.booked_missed[start + sheets] = missed
        return np.clip(shares, 0.0, 1.0, out=shares, where=~np.isnan(shares))

    def _mean_missed_table(self, maker: int, check: int) -> np.ndarray:
        """E[M_check | n pieces hit by ``maker``] at index n = 0..C (index 0 unused: 1), read only."""
        tables = self._mean_missed
        if tables is None:
            tables = _MEAN_MISSED.get(self.scenario)
            self._mean_missed = tables = _MEAN_MISSED.put(self.scenario, {}) if tables is None else tables
        table = tables.get((maker, check))
        if table is None:
            table = np.append(1.0, mean_missed_share(missed_on_size_grid(self.scenario, maker, check),
                                                     self.scenario.cell.format.cells_per_sheet))
            table.flags.writeable = False
            tables[(maker, check)] = table
        return table

    def _may_be_hit_later(self, check: int, start: int, sheets: int) -> np.ndarray:
        """Sheets ``start`` to ``start + sheets`` of the sample (a unit of the check's) whose defect draw at a
        later latent-making step may hit them."""
        hit = np.zeros(sheets, dtype=bool)
        open_pieces = self.open_pieces.get(check)
        for maker in self.later_makers[check]:
            if open_pieces is None:
                may_hit = self.hit_ahead.get(maker)
                if may_hit is None:  # once per step for the whole sample: every check before it reads a slice
                    draws = np.concatenate([unit["defect_draw"] for unit in self._ahead(maker)])
                    may_hit = self.hit_ahead[maker] = draws < self._hit_probability(maker)
                hit |= may_hit[start:start + sheets]
            else:   # P(K > 0 | r open pieces), r as the check finds them (after_step)
                draws = np.concatenate([unit["defect_draw"] for unit in self._ahead(maker)])[start:start + sheets]
                survival = defect_piece_loss_survival(self.scenario, self.scenario.route[maker])
                hit |= draws < survival[np.clip(open_pieces[start:start + sheets], 0, None), 0]
        return hit

    def adjust(self, step_index: int, conditions: dict) -> None:
        """Stratify the unit's defect draws; mark the sheets whose detection at a check is expected."""
        if step_index in self.looked_ahead:
            unit = self.units_done.get(step_index, 0)
            self.units_done[step_index] = unit + 1
            conditions.update(self._ahead(step_index)[unit])
        else:
            conditions.update(self._stratify(step_index, conditions))
        if step_index in self.checks:
            # the check's units follow each other through the sample (run_route runs it as one unit, the
            # optimiser's candidate sweep in its transfer units)
            sheets = np.shape(conditions["defect_detection_draw"])[-1]
            start = self.sheets_done.get(step_index, 0)
            self.sheets_done[step_index] = start + sheets
            expected = ~self._may_be_hit_later(step_index, start, sheets)
            conditions[EXPECTED_DETECTION] = expected
            conditions[EXPECTED_FOUND_SHARE] = self._found_shares(step_index, start, expected)


__all__ = ["SampleEstimator"]
