"""How far a candidate's mean sheet lies inside the specs of the checks in its span: the quality margin.

The optimiser keeps a recipe whose mean sheet entering a check is at least ``optimisation.min_quality_margin``
(relative) inside each of the check's specs; the margin is the smallest of them. :func:`quality_margins` takes
it for many candidates at once on the sweep's arrays (twin.optimise.candidates); :func:`mean_sheet_margin` is
the same for one sample, the reference the arrays are tested against.
"""

from __future__ import annotations

import math

import numpy as np

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


def mean_sheet_margin(
    check: QualityCheck,
    state: dict[str, np.ndarray],
    alive: np.ndarray,
    target_thickness_m: float,
    means: dict[str, float],
) -> float:
    """Smallest relative margin of the mean sheet entering ``check`` to each of its specs."""
    margins = []
    if not alive.any():
        return -math.inf
    for key, scale, spec_field, kind in QUALITY_SPECS:
        limit = getattr(check, spec_field)
        if limit is None:
            continue
        mean = (
            float(np.nanmean(state[key][alive])) * scale if np.isfinite(state[key][alive]).any() else math.nan
        )
        means[key] = mean
        if math.isnan(mean):
            continue  # the property is not measured on this route (NaN never fails a spec in sheet_physics)
        margins.append((mean - limit) / limit if kind == "min" else (limit - mean) / limit)
    if check.thickness_tolerance_fraction is not None:
        thickness = state["electrolyte_thickness_m"][alive]
        if np.isfinite(thickness).any():
            deviation = abs(float(np.nanmean(thickness)) - target_thickness_m) / target_thickness_m
            means[THICKNESS_DEVIATION] = deviation
            margins.append(
                (check.thickness_tolerance_fraction - deviation) / check.thickness_tolerance_fraction
            )
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


def quality_margins(
    check: QualityCheck,
    values: np.ndarray,
    alive: np.ndarray,
    target_thickness_m: float,
    means: dict[str, np.ndarray],
) -> np.ndarray:
    """:func:`mean_sheet_margin` for many candidates at once: ``values`` is (fields x candidates x sheets).

    ``means`` receives, per property, the (candidates,) means (NaN where a candidate has no alive sheet)."""
    from twin.sheet_batch import SHEET_STATE_FIELDS

    any_alive = alive.any(axis=1)
    margin = np.full(alive.shape[0], math.inf)
    for key, scale, spec_field, kind in QUALITY_SPECS:
        limit = getattr(check, spec_field)
        if limit is None:
            continue
        mean, _ = row_means(values[SHEET_STATE_FIELDS.index(key)], alive)
        mean = mean * scale
        means[key] = np.where(any_alive, mean, np.nan)
        relative = (mean - limit) / limit if kind == "min" else (limit - mean) / limit
        # a property not measured on this route (NaN) never fails a spec in sheet_physics
        margin = np.minimum(margin, np.where(np.isnan(mean), math.inf, relative))
    if check.thickness_tolerance_fraction is not None:
        thickness, _ = row_means(values[SHEET_STATE_FIELDS.index("electrolyte_thickness_m")], alive)
        deviation = np.abs(thickness - target_thickness_m) / target_thickness_m
        measured = any_alive & ~np.isnan(thickness)
        if measured.any():
            means[THICKNESS_DEVIATION] = np.where(measured, deviation, np.nan)
        tolerance = check.thickness_tolerance_fraction
        margin = np.minimum(margin, np.where(measured, (tolerance - deviation) / tolerance, math.inf))
    return np.where(any_alive, margin, -math.inf)


__all__ = ["QUALITY_SPECS", "THICKNESS_DEVIATION", "mean_sheet_margin", "quality_margins", "row_means"]
