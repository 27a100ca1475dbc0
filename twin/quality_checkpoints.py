"""Quality where it is judged: each spec's distribution over the sheets a check measured, at that check.

Later steps change the state (the electrolyte densifies further under the cathode's firings), so a
final-state histogram under a spec line applied earlier compares unlike things. Here every quality
check's specs are summarised over the sheets that entered that check, as they were then.
"""

from __future__ import annotations

import math

import numpy as np

from twin.capacity_grading import grading_summary
from twin.inspection import SPEC_CHECKS, THICKNESS_SPEC, spec_failures
from twin.inspection_methods import method_figures, method_pod
from twin.operations import operation_for
from twin.results import QUALITY_FIELDS, quality_summary
from twin.scenario import Scenario
from twin.scenario.route import QualityCheck
from twin.sheet_batch import SHEET_STATE_FIELDS

_ROW = {name: SHEET_STATE_FIELDS.index(name) for name in SHEET_STATE_FIELDS}

# The tail a spec is judged on: the worst 1 % of the measured sheets (p1 against a minimum, p99 against a
# maximum). Assumption: 1 % is what a planner calls "the bad tail" of a line (one sheet in a hundred); at
# evaluate's 3,000 sheets it rests on ~30 sheets, so it is steady from seed to seed.
TAIL_PERCENT = 1.0


class MeasuredRows(dict):
    """State rows by field name of the sheets a check measured, each gathered on first use only.

    A check's summaries read a few of the ~45 state rows: gathering those, not the whole matrix of the
    measured sheets, is most of what summarising the checks costs."""

    def __init__(self, values: np.ndarray, alive: np.ndarray):
        super().__init__()
        self.values = values
        self.picked = np.flatnonzero(alive)

    def __missing__(self, field: str) -> np.ndarray:
        row = self.values[_ROW[field]].take(self.picked)
        self[field] = row
        return row


def _row(values: np.ndarray | MeasuredRows, field: str) -> np.ndarray:
    return values[field] if isinstance(values, MeasuredRows) else values[_ROW[field]]


def checked_values(scenario: Scenario, step: QualityCheck, spec: str,
                   values: np.ndarray | MeasuredRows) -> tuple[str, np.ndarray]:
    """(reported key, values in the reported unit) that ``spec`` of ``step`` judges on a state matrix
    (or on the :class:`MeasuredRows` of one)."""
    if spec == THICKNESS_SPEC:
        target = scenario.cell.electrolyte.thickness_um * 1e-6
        deviation = np.abs(_row(values, "electrolyte_thickness_m") - target) / target
        return reported_key(spec), deviation
    field = SPEC_CHECKS[spec][0]
    return reported_key(spec), _row(values, field) * QUALITY_FIELDS[field][1]


def reported_key(spec: str) -> str:
    """The key under which ``quality_at_check`` reports what ``spec`` judges (its unit in the name)."""
    if spec == THICKNESS_SPEC:
        return "electrolyte_thickness_deviation_fraction"
    return QUALITY_FIELDS[SPEC_CHECKS[spec][0]][0]


def reported_limit(spec: str, limit: float) -> float:
    """A spec's limit in the unit its values are reported in (e.g. a mS/cm conductivity limit in S/cm)."""
    if spec == THICKNESS_SPEC:
        return limit
    field, _, _, to_state = SPEC_CHECKS[spec]
    return limit * to_state * QUALITY_FIELDS[field][1]


def spec_tail(values: np.ndarray, limit: float, sense: str) -> dict[str, float | None]:
    """How the measured sheets' tail stands to one spec, per sheet (the way the spec is applied).

    ``values`` and ``limit`` in the same unit, ``sense`` "min" or "max". Returns ``tail_value``: the worst
    TAIL_PERCENT sheet (p1 for a minimum, p99 for a maximum), and ``tail_margin``: its relative distance inside
    the limit, (p1 - limit) / limit for a minimum and (limit - p99) / limit for a maximum, negative when more
    than TAIL_PERCENT of the sheets are out of spec. NaN values (a property no step has set, which never fails
    a spec) are left out; both None when no value is finite or the limit is 0."""
    array = np.asarray(values, dtype=float)
    finite = array[np.isfinite(array)]
    if finite.size == 0 or limit == 0:
        return {"tail_value": None, "tail_margin": None}
    if sense == "min":
        tail = _percentile(finite, TAIL_PERCENT)
        return {"tail_value": tail, "tail_margin": (tail - limit) / limit}
    tail = _percentile(finite, 100.0 - TAIL_PERCENT)
    return {"tail_value": tail, "tail_margin": (limit - tail) / limit}


def _percentile(finite: np.ndarray, percent: float) -> float:
    """``np.percentile(finite, percent)`` (linear method: virtual index (n - 1) q, numpy's two-sided lerp) from
    one partition at its two neighbours: np.percentile's argument handling doubled the checks' summary time."""
    n = finite.size
    virtual = (n - 1) * (percent / 100.0)
    low = min(math.floor(virtual), n - 1)
    high = min(low + 1, n - 1)
    gamma = virtual - low
    ordered = np.partition(finite, (low, high))
    a, b = float(ordered[low]), float(ordered[high])
    return b - (b - a) * (1.0 - gamma) if gamma >= 0.5 else a + (b - a) * gamma


def measured_at_check(scenario: Scenario, step_index: int, batch, conditions) -> tuple[np.ndarray, np.ndarray]:
    """(alive entering, state matrix) that the check at ``step_index`` judges: the sheets entering it with the zone
    air of the wait before it booked, as twin.sheet_physics.apply_step books it before the check applies its specs
    (a copy: the batch itself is booked by the step). Recorded before the booking, a sulphide line's check read
    23.8 % of its sheets out of spec on ASR while it scrapped a third of them (sulphide_spray at a -40 C dew point).
    """
    from twin.sheet_batch import SheetBatch
    from twin.sheet_exposure import book_exposure

    measured = SheetBatch.new(batch.n)
    measured.values[...] = batch.values
    alive = batch.alive.copy()
    book_exposure(scenario, step_index, scenario.route[step_index], measured.state, conditions, np.flatnonzero(alive))
    return alive, measured.values


def quality_at_checks(scenario: Scenario, checkpoints: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict:
    """``{check: {key: {mean, p5, p50, p95, limit, sense, out_of_spec_fraction, sheets_measured, tail_value,
    tail_margin}}}`` at each check.

    A check with an inspection method also has ``inspection`` (:func:`inspection_summary`).

    ``checkpoints``: ``check name -> (alive entering the check, state matrix it measured)``, as
    :func:`twin.sheet_physics.run_route` records them. ``limit`` is in the reported unit of the key (a
    mS/cm conductivity spec is converted to S/cm), ``sense`` "min" or "max"; ``out_of_spec_fraction``
    the share of measured sheets outside it (detected or not), by the scrap causes' own test
    (twin.inspection.spec_failures); ``tail_value``, ``tail_margin``: the worst 1 % sheet and its relative
    distance inside the limit (:func:`spec_tail`; the thickness spec on the deviation from the design thickness).
    """
    result: dict[str, dict] = {}
    for step in scenario.route:
        if not operation_for(step).is_quality_check or step.name not in checkpoints:
            continue
        alive, values = checkpoints[step.name]
        measured = MeasuredRows(values, alive)
        failures = dict(spec_failures(scenario, step, measured))
        block = {}
        for spec in (*SPEC_CHECKS, THICKNESS_SPEC):
            limit = getattr(step, spec)
            if limit is None:
                continue
            key, reported = checked_values(scenario, step, spec, measured)
            limit = reported_limit(spec, float(limit))
            cause = SPEC_CHECKS[spec][1] if spec in SPEC_CHECKS else "thickness_out_of_tolerance"
            failing = failures[cause]
            sense = "max" if spec.startswith("max") or spec == THICKNESS_SPEC else "min"
            block[key] = {**quality_summary(reported), "limit": limit, "sense": sense,
                          "out_of_spec_fraction": float(failing.mean()) if failing.size else 0.0,
                          "sheets_measured": int(measured.picked.size), **spec_tail(reported, limit, sense)}
        if step.method is not None:
            block["inspection"] = inspection_summary(scenario, step, measured)
        if step.capacity_grading is not None:   # the grade on what the cells deliver (twin.capacity_grading)
            block["delivered_capacity_fraction_of_design"] = grading_summary(scenario, step, values[:, alive])
        result[step.name] = block
    return result


def inspection_summary(scenario: Scenario, step: QualityCheck, measured: dict[str, np.ndarray]) -> dict:
    """What a check's method resolves and what it finds among the sheets it measured.

    ``{method, <resolution key>, a50_um, a90_um, time_per_sheet_s, sheets_measured, latent_defect_pieces,
    detected_pieces, missed_pieces}``, counted in cell pieces: the pieces carrying a latent defect on the
    measured sheets and the POD's expectation of those found and missed (sum of pieces x POD(size)). In
    pieces because evaluate carries an earlier check's miss as an expected share of a sheet's pieces
    (twin.expected_outcomes): a sheet holding 0.01 of a piece is not a sheet with a defect. The sampled
    finds are in ``yield.scrap_by_check`` as ``latent_defect``.
    """
    figures = method_figures(scenario, step.method)
    latent = measured["latent_defect_pieces"]
    carrying = latent > 0
    pieces = latent[carrying]
    detected = float(np.sum(pieces * method_pod(scenario, step.method, measured["latent_defect_size_m"][carrying])))
    total = float(pieces.sum())
    return {"method": step.method.method, figures["resolution_key"]: figures["resolution"],
            "a50_um": figures["a50_m"] * 1e6, "a90_um": figures["a90_m"] * 1e6,
            "time_per_sheet_s": figures["time_s"], "sheets_measured": int(carrying.size),
            "latent_defect_pieces": total, "detected_pieces": detected, "missed_pieces": max(total - detected, 0.0)}


__all__ = ["TAIL_PERCENT", "MeasuredRows", "checked_values", "inspection_summary", "measured_at_check",
           "quality_at_checks", "reported_key", "reported_limit", "spec_tail"]
