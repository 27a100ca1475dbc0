"""The result keys shared by ``evaluate``, ``simulate`` and the HTTP API, and their summary statistics.

Keys (never renamed): scenario, throughput{good_cells_per_day, m2_per_hour, gwh_per_year},
yield{overall, piece_yield_by_step, sheet_yield_by_step, scrap_by_cause}, quality{relative_density, li_loss_fraction,
ionic_conductivity_S_per_cm, electrolyte_asr_ohm_cm2: {mean, p5, p50, p95}}, cost{usd_per_kwh, usd_per_m2,
usd_per_cell, capex_usd, by_step, by_category}, stations{name: {utilization, availability, oee}},
bottleneck, energy_kwh_per_kwh.
"""

from __future__ import annotations

import functools
import math

import numpy as np

RESULT_KEYS = ("scenario", "throughput", "yield", "quality", "cost", "stations", "bottleneck",
               "energy_kwh_per_kwh")
THROUGHPUT_KEYS = ("good_cells_per_day", "m2_per_hour", "gwh_per_year")
# piece_yield_by_step is the step's yield (good cell pieces kept, the overall yield's unit); the sheet yield is
# named as such: it was `by_step`, which a reader took for the step's yield (renamed, not repurposed, so a reader
# of the old key fails loudly instead of reading another figure under it)
YIELD_KEYS = ("overall", "piece_yield_by_step", "sheet_yield_by_step", "scrap_by_cause")
QUALITY_KEYS = ("relative_density", "li_loss_fraction", "ionic_conductivity_S_per_cm", "electrolyte_asr_ohm_cm2")
COST_KEYS = ("usd_per_kwh", "usd_per_m2", "usd_per_cell", "capex_usd", "by_step", "by_category")
STATION_KEYS = ("utilization", "availability", "oee")

# Per-sheet state field -> (quality key, factor from SI to the reported unit)
QUALITY_FIELDS = {
    "relative_density": ("relative_density", 1.0),
    "li_loss_fraction": ("li_loss_fraction", 1.0),
    "ionic_conductivity_S_per_m": ("ionic_conductivity_S_per_cm", 0.01),
    "electrolyte_asr_ohm_m2": ("electrolyte_asr_ohm_cm2", 1e4),
    "interface_asr_ohm_m2": ("interface_asr_ohm_cm2", 1e4),
    "cathode_relative_density": ("cathode_relative_density", 1.0),
    "areal_capacity_mAh_per_cm2": ("areal_capacity_mAh_per_cm2", 1.0),   # cathode as made (stored, not delivered)
    "critical_current_density_A_per_m2": ("critical_current_density_mA_per_cm2", 0.1),
    "grain_size_m": ("grain_size_um", 1e6),
}


# p50: a heavy tail (a few sheets with a 1e6 ohm cm2 ASR at a wet dew point) drags the mean far off the
# typical sheet; the median says where most sheets are
_SUMMARY_QUANTILES = np.array([5.0, 50.0, 95.0]) / 100


@functools.lru_cache(maxsize=64)
def _order_plan(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """numpy's linear-method positions for the 5th, 50th and 95th percentile of ``n`` values: (lower and upper
    neighbour indices, weight of the upper one, the order statistics to partition at). Kept per ``n``
    (read only): an evaluation summarises ~10 sets of rows of the same few sizes."""
    virtual = (n - 1) * _SUMMARY_QUANTILES
    previous = np.floor(virtual)
    following = previous + 1
    above = virtual >= n - 1
    previous[above] = -1
    following[above] = -1
    gamma = virtual - previous
    # -1 (past the last point) is the largest value, as numpy's own indexing of the sorted array reads it
    low_index = np.where(previous < 0, n - 1, previous).astype(np.intp)
    high_index = np.where(following < 0, n - 1, following).astype(np.intp)
    plan = low_index, high_index, gamma, np.unique(np.concatenate([low_index, high_index]))
    for array in plan:
        array.flags.writeable = False
    return plan


def _between(low: np.ndarray, high: np.ndarray, gamma: np.ndarray) -> np.ndarray:
    """numpy's two-sided lerp between the neighbours (``np.percentile``'s own arithmetic)."""
    step = high - low
    return np.where(gamma >= 0.5, high - step * (1 - gamma), low + step * gamma)


def summary_percentiles(array: np.ndarray) -> np.ndarray:
    """``np.percentile(array, [5, 50, 95])`` (linear method) of a non-empty 1-D array of finite values, bit for bit.

    numpy's own arithmetic (virtual index (n - 1) q, neighbours, its two-sided lerp) on the four order
    statistics it needs, found by one partition (the same values a full sort puts there, ~6x faster on an
    evaluation's 3000 sheets), skipping numpy's general-purpose argument handling."""
    low_index, high_index, gamma, kth = _order_plan(array.size)
    ordered = np.partition(array, kth)
    return _between(ordered[low_index], ordered[high_index], gamma)


def quality_summary(values) -> dict[str, float | None]:
    """Mean, 5th, 50th (median) and 95th percentile of the finite values; ``None`` entries when there are none."""
    array = np.asarray(values, dtype=float).ravel()
    array = array[np.isfinite(array)]
    if array.size == 0:
        return {"mean": None, "p5": None, "p50": None, "p95": None}
    p5, p50, p95 = summary_percentiles(array)
    with np.errstate(over="ignore"):  # an overflow is reported as a None mean, not a warning
        mean = float(array.mean())
    return {"mean": _finite_mean(mean), "p5": float(p5), "p50": float(p50), "p95": float(p95)}


def _finite_mean(mean: float) -> float | None:
    # finite values can still sum past the float range (a 1e306 ohm m2 tail): None, never inf, to a reader
    return mean if math.isfinite(mean) else None


def mean_is_heavy_tail(summary: dict) -> bool:
    """Whether a summary's mean lies outside its p5..p95 band: a tail of a few sheets sets it, not the typical
    sheet (e.g. a mean ASR of 6.4e6 ohm cm2 over a p5..p95 of 41..131); read the median then."""
    mean, p5, p95 = summary.get("mean"), summary.get("p5"), summary.get("p95")
    if mean is None or p5 is None or p95 is None:
        return False
    return not p5 <= mean <= p95


def row_summaries(rows: np.ndarray) -> list[dict[str, float | None]]:
    """:func:`quality_summary` of each row of a 2-D array, bit for bit, in fewer numpy calls.

    Rows whose values are all finite (the usual case) share one partition and one mean along the rows:
    each row's order statistics are the ones a partition of the row alone finds, and a contiguous row's
    sum is the same pairwise sum. Rows with a NaN or inf go one by one."""
    summaries: list[dict[str, float | None]] = [{} for _ in range(rows.shape[0])]
    if rows.shape[1] == 0:
        return [quality_summary(()) for _ in summaries]
    full = np.isfinite(rows).all(axis=1)
    if full.any():
        finite = np.ascontiguousarray(rows[full])
        low_index, high_index, gamma, kth = _order_plan(finite.shape[1])
        ordered = np.partition(finite, kth, axis=1)
        percentiles = _between(ordered[:, low_index], ordered[:, high_index], gamma).tolist()
        with np.errstate(over="ignore"):
            means = finite.mean(axis=1).tolist()
        for i, mean, (p5, p50, p95) in zip(np.flatnonzero(full).tolist(), means, percentiles, strict=True):
            summaries[i] = {"mean": _finite_mean(mean), "p5": p5, "p50": p50, "p95": p95}
    for i in np.flatnonzero(~full).tolist():
        summaries[i] = quality_summary(rows[i])
    return summaries


def quality_from_state(state: dict[str, np.ndarray], mask: np.ndarray | None = None) -> dict[str, dict]:
    """The ``quality`` block from per-sheet state arrays (optionally only the sheets in ``mask``)."""
    present = [(field_name, factor) for field_name, (_, factor) in QUALITY_FIELDS.items()
               if state.get(field_name) is not None]
    picked = None if mask is None else np.flatnonzero(mask)
    summaries: dict[str, dict] = {}
    if present:
        size = state[present[0][0]].size if picked is None else picked.size
        rows = np.empty((len(present), size))
        for row, (field_name, factor) in zip(rows, present, strict=True):
            values = state[field_name]
            np.multiply(values if picked is None else values.take(picked), factor, out=row)
        summaries = dict(zip((name for name, _ in present), row_summaries(rows), strict=True))
    return {key: summaries.get(field_name) or quality_summary([])
            for field_name, (key, _) in QUALITY_FIELDS.items()}


def escape_block(good_cells: float, escaped_cells: float, false_rejects_per_sheet_started: float,
                 grading_escape_share: float = 0.0) -> dict:
    """Escape and false-reject keys of the ``yield`` block (one definition for evaluate and simulate).

    ``escape_rate``: bad cells shipped per good cell shipped (``escape_ppm`` the same x 1e6); undefined
    (None, with ``escape_rate_reason``) when no good cell was made. ``false_reject_rate``: in-spec
    sheets rejected by an inspection, per sheet started. ``capacity_grading_escape_share``: the share of the
    escaped cells a capacity grading's scatter passed below its grade (FinishedOutput.lot_escaped_by_step),
    present only when it is above 0.
    """
    block = {"escape_rate": None, "escape_ppm": None, "false_reject_rate": false_rejects_per_sheet_started}
    if escaped_cells > 0 and grading_escape_share > 0.0:   # only where a grade let cells through: no key otherwise
        block["capacity_grading_escape_share"] = min(grading_escape_share, 1.0)
    if good_cells > 0:
        rate = escaped_cells / good_cells
        block.update(escape_rate=rate, escape_ppm=rate * 1e6)
    else:
        block["escape_rate_reason"] = "no good cell was made, so there is no rate per good cell"
    return block


def piece_yield_identities(piece_yields: dict[str, float], escape_factor: float) -> dict[str, float]:
    """``overall`` and ``escaped_share`` from the step yields in good cell pieces and the escape factor.

    The pieces no step lost, per piece started, are the product of the piece yields (twin.piece_yield); the
    escape factor splits them into good (``overall``) and escaped (``escaped_share``), so with the shares
    lost per cause they add up to 1 (to float precision): simulate's yield block. evaluate counts a closed
    sample, where the same figures are its good and escaped pieces per piece started.
    """
    kept = math.prod(piece_yields.values())
    return {"overall": kept * escape_factor, "escaped_share": kept * (1.0 - escape_factor)}


def sheet_yields_read(sheet_yields: dict[str, float], with_sheets: set[str]) -> dict[str, float | None]:
    """``yield.sheet_yield_by_step`` as every result gives it: the step's sheet yield up to and including the
    cutting step, None after it (``with_sheets``: twin.piece_yield.sheet_steps).

    After cutting no sheet is left, only its pieces (the yield is ``piece_yield_by_step``): a "sheet" yield
    there is an artefact of counting the pieces in sheet-equivalents, so evaluate's and simulate's JSON,
    the tables, the report and yield_by_step.csv all leave it empty (one rule). The flows keep their own
    per-station figures (evaluate's ``LineFlow.step_yield``, each station's ``quality``)."""
    return {step: (value if step in with_sheets else None) for step, value in sheet_yields.items()}


def missing_result_keys(result: dict) -> list[str]:
    """Dotted names of required keys absent from ``result`` (empty when the result is complete)."""
    missing = [key for key in RESULT_KEYS if key not in result]
    for block, keys in (("throughput", THROUGHPUT_KEYS), ("yield", YIELD_KEYS), ("quality", QUALITY_KEYS),
                        ("cost", COST_KEYS)):
        if block in result:
            missing += [f"{block}.{key}" for key in keys if key not in result[block]]
    for name, station in result.get("stations", {}).items():
        missing += [f"stations.{name}.{key}" for key in STATION_KEYS if key not in station]
    return missing


def json_safe(value):
    """Replace NaN/inf by None recursively so results serialise as strict JSON."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (np.floating, float)):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        return json_safe(value.tolist())
    return value


__all__ = [
    "COST_KEYS", "QUALITY_FIELDS", "QUALITY_KEYS", "RESULT_KEYS", "STATION_KEYS", "THROUGHPUT_KEYS", "YIELD_KEYS",
    "escape_block", "json_safe", "missing_result_keys", "piece_yield_identities", "quality_from_state",
    "mean_is_heavy_tail", "quality_summary", "sheet_yields_read", "summary_percentiles",
]
