"""The evaluation's variance reduction (twin.expected_outcomes) applied to the conditions of each unit.

:func:`twin.sheet_physics.run_route` with ``expected_outcomes`` asks :class:`SampleEstimator` to adjust the
conditions it drew for every unit: the defect and size draws stratified, and at a check with an
inspection method the sheets whose detection is carried as an expectation. A check before a later
latent-making step carries it only for the sheets that step's defects cannot hit: their defect draws are
known ahead (a step's conditions depend on its own stream only, so they are drawn ahead from a copy of the
same stream and reused unchanged when the step runs). A sheet they may hit keeps its detection draw: a new
defect's size joins the largest of the ones still latent, which a fractional state cannot split.
"""

from __future__ import annotations

import numpy as np

from twin.expected_outcomes import EXPECTED_DETECTION, latent_steps, stratified_subset, stratified_uniforms
from twin.operations import operation_for
from twin.scenario import Scenario
from twin.sheet_conditions import defect_piece_loss_survival, sample_conditions


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

    def _may_be_hit_later(self, check: int, start: int, sheets: int) -> np.ndarray:
        """Sheets ``start`` to ``start + sheets`` of the sample (a unit of the check's) whose defect draw at a
        later latent-making step may hit them."""
        hit = np.zeros(sheets, dtype=bool)
        for maker in self.later_makers[check]:
            may_hit = self.hit_ahead.get(maker)
            if may_hit is None:  # once per step for the whole sample: every check before it reads a slice
                draws = np.concatenate([unit["defect_draw"] for unit in self._ahead(maker)])
                may_hit = self.hit_ahead[maker] = draws < self._hit_probability(maker)
            hit |= may_hit[start:start + sheets]
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
            conditions[EXPECTED_DETECTION] = ~self._may_be_hit_later(step_index, start, sheets)


__all__ = ["SampleEstimator"]
