"""How far a candidate's worst sheets lie inside the specs of the checks in its span: the quality margin.

A check applies its specs to every sheet, so a recipe is judged on its per-sheet tail, as evaluate's and
optimise's "quality at the checks" tables judge it (twin.quality_checkpoints.spec_tail): the worst
TAIL_PERCENT sheet entering the check (p1 against a minimum, p99 against a maximum; the thickness spec on each
sheet's deviation from the design thickness) and its relative distance inside the limit. The margin is the
smallest over the check's specs; it is negative when more than TAIL_PERCENT of the sheets are out of a spec.
Judged on the mean sheet, 7 to 10 MPa pressing recipes tied (their means alike, their spreads not) and the sweep
order broke the tie. The optimiser keeps a recipe whose margin is at least ``optimisation.min_quality_margin``,
and pruning counts it among the criteria a kept recipe must match.

:func:`quality_margins` takes it for many candidates at once on the sweep's arrays (twin.optimise.candidates),
with the candidates' mean sheets beside it for the reports; :func:`sheet_tail_margin` is the same for one sample
with spec_tail itself, the reference the arrays are tested against.
"""

from __future__ import annotations

import math

import numpy as np

from twin.quality_checkpoints import TAIL_PERCENT, spec_tail
from twin.scenario.route import QualityCheck

# Quality properties at a check and how the margin to a spec is taken: (state key, scale to spec units,
# spec field, "min" or "max").
QUALITY_SPECS = (
    ("relative_density", 1.0, "min_relative_density", "min"),
    ("li_loss_fraction", 1.0, "max_li_loss_fraction", "max"),
    ("electrolyte_asr_ohm_m2", 1e4, "max_electrolyte_asr_ohm_cm2", "max"),
    ("ionic_conductivity_S_per_m", 10.0, "min_ionic_conductivity_mS_per_cm", "min"),
    ("interface_asr_ohm_m2", 1e4, "max_interface_asr_ohm_cm2", "max"),
)

THICKNESS_DEVIATION = "electrolyte_thickness_deviation"


def sheet_tail_margin(
    check: QualityCheck,
    state: dict[str, np.ndarray],
    alive: np.ndarray,
    target_thickness_m: float,
    means: dict[str, float],
) -> float:
    """Smallest relative margin of the worst 1 % sheet entering ``check`` to each of its specs [-], by
    twin.quality_checkpoints.spec_tail; ``means`` receives the mean sheet's value of each property judged."""
    margins = []
    if not alive.any():
        return -math.inf
    for key, scale, spec_field, kind in QUALITY_SPECS:
        limit = getattr(check, spec_field)
        if limit is None:
            continue
        values = state[key][alive] * scale
        if not np.isfinite(values).any():
            means[key] = math.nan
            continue  # the property is not measured on this route (NaN never fails a spec in sheet_physics)
        means[key] = float(np.nanmean(state[key][alive])) * scale
        tail = spec_tail(values, float(limit), kind)["tail_margin"]
        if tail is not None:
            margins.append(tail)
    if check.thickness_tolerance_fraction is not None:
        thickness = state["electrolyte_thickness_m"][alive]
        if np.isfinite(thickness).any():
            means[THICKNESS_DEVIATION] = abs(float(np.nanmean(thickness)) - target_thickness_m) / target_thickness_m
            deviation = np.abs(thickness - target_thickness_m) / target_thickness_m
            tail = spec_tail(deviation, check.thickness_tolerance_fraction, "max")["tail_margin"]
            if tail is not None:
                margins.append(tail)
    return min(margins) if margins else math.inf


def row_means(rows: np.ndarray, alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean of each candidate's alive, non-NaN sheets (NaN when none is finite), and whether any is alive.

    ``rows`` and ``alive`` are (candidates x sheets); the same figure as ``np.nanmean(x[alive])`` per
    candidate, to floating-point summation order."""
    counted = alive & ~np.isnan(rows)
    total = np.where(counted, rows, 0.0).sum(axis=1)
    count = counted.sum(axis=1)
    finite = (alive & np.isfinite(rows)).any(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(finite, total / np.maximum(count, 1), np.nan)
    return mean, alive.any(axis=1)


def row_tails(rows: np.ndarray, alive: np.ndarray, sense: str) -> np.ndarray:
    """The worst TAIL_PERCENT value of each candidate's alive, finite sheets (NaN when none is): p1 for a
    ``sense`` "min" spec, p99 for "max".

    ``rows`` and ``alive`` are (candidates x sheets); the same figure as twin.quality_checkpoints.spec_tail's
    per candidate (numpy's linear percentile at the virtual index (n - 1) q, two-sided lerp), exactly: only
    the few order statistics at that index are partitioned out, not the whole row sorted."""
    counted = alive & np.isfinite(rows)
    count = counted.sum(axis=1)
    percent = TAIL_PERCENT if sense == "min" else 100.0 - TAIL_PERCENT
    virtual = (count - 1) * (percent / 100.0)
    low = np.minimum(np.floor(virtual), count - 1).astype(np.int64)
    high = np.minimum(low + 1, count - 1)
    gamma = virtual - low
    # the values the tail reads sit at ascending ranks low and high: from the small end of the row for a
    # minimum, from the large end (rank count - 1 - r of the values taken largest first) for a maximum
    if sense == "min":
        ranks_low, ranks_high = low, high
        filled = np.where(counted, rows, np.inf)
    else:
        ranks_low, ranks_high = count - 1 - low, count - 1 - high
        filled = -np.where(counted, rows, -np.inf)
    rows_with = count > 0
    if not rows_with.any():
        return np.full(rows.shape[0], np.nan)
    deepest = int(min(max(ranks_low[rows_with].max(), ranks_high[rows_with].max()), rows.shape[1] - 1))
    smallest = np.sort(np.partition(filled, deepest, axis=1)[:, :deepest + 1], axis=1)
    sign = 1.0 if sense == "min" else -1.0
    a = sign * np.take_along_axis(smallest, np.clip(ranks_low, 0, deepest)[:, None], axis=1)[:, 0]
    b = sign * np.take_along_axis(smallest, np.clip(ranks_high, 0, deepest)[:, None], axis=1)[:, 0]
    with np.errstate(invalid="ignore"):
        tail = np.where(gamma >= 0.5, b - (b - a) * (1.0 - gamma), a + (b - a) * gamma)
    return np.where(rows_with, tail, np.nan)


def quality_margins(
    check: QualityCheck,
    values: np.ndarray,
    alive: np.ndarray,
    target_thickness_m: float,
    means: dict[str, np.ndarray],
) -> np.ndarray:
    """:func:`sheet_tail_margin` for many candidates at once: ``values`` is (fields x candidates x sheets).

    ``means`` receives, per property, the (candidates,) mean sheets (NaN where a candidate has no alive sheet)."""
    from twin.sheet_batch import SHEET_STATE_FIELDS

    any_alive = alive.any(axis=1)
    margin = np.full(alive.shape[0], math.inf)
    for key, scale, spec_field, kind in QUALITY_SPECS:
        limit = getattr(check, spec_field)
        if limit is None:
            continue
        rows = values[SHEET_STATE_FIELDS.index(key)]
        mean, _ = row_means(rows, alive)
        means[key] = np.where(any_alive, mean * scale, np.nan)
        tail = row_tails(rows * scale, alive, kind)
        relative = (tail - limit) / limit if kind == "min" else (limit - tail) / limit
        # a property not measured on this route (NaN) never fails a spec in sheet_physics
        margin = np.minimum(margin, np.where(np.isnan(tail), math.inf, relative))
    if check.thickness_tolerance_fraction is not None:
        rows = values[SHEET_STATE_FIELDS.index("electrolyte_thickness_m")]
        thickness, _ = row_means(rows, alive)
        measured = any_alive & ~np.isnan(thickness)
        if measured.any():
            means[THICKNESS_DEVIATION] = np.where(
                measured, np.abs(thickness - target_thickness_m) / target_thickness_m, np.nan)
        tolerance = check.thickness_tolerance_fraction
        tail = row_tails(np.abs(rows - target_thickness_m) / target_thickness_m, alive, "max")
        margin = np.minimum(margin, np.where(np.isnan(tail), math.inf, (tolerance - tail) / tolerance))
    return np.where(any_alive, margin, -math.inf)


__all__ = ["QUALITY_SPECS", "THICKNESS_DEVIATION", "quality_margins", "row_means", "row_tails", "sheet_tail_margin"]
