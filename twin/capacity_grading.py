"""Capacity grading: a cycler measures what each finished cell delivers and scraps the cells below the grade.

What is measured: the cell is charged, discharged at its rated rate (``cell.rating``) while the channel
integrates the current, and recharged to its shipping state. The true value is the capacity the cell's
layers deliver at that rate, from each sheet's own state (twin.cell_output.delivered_capacity_mAh_per_cm2:
the stored capacity as made x the utilisation its made density allows, rate-limited by the ASR), as a
share of the design capacity (twin.cell_output.design_capacity_mAh_per_cm2):

    f = Q_delivered / Q_design                         [-]
    f_measured = f + s z,  z ~ N(0, 1)                 (one seeded uniform per sheet, z = Phi^-1(u))

s (``measurement_sd_fraction``) is the channel's capacity error as a share of full scale, full scale taken
as the design capacity. Formation and grading cyclers specify their current to +-0.05-0.1 % of full scale
(assumption: the library takes 0.1 % as one standard deviation of the integrated capacity; IEC 61951-2 lets
a test laboratory's capacity be off by up to +-1 %). A cell measured below the grade g is scrapped: cause
``low_capacity`` if it truly is below (f < g), ``false_reject`` if the scatter put a good cell there. A cell
truly below g measured at or above it passes, is marked out of spec at this check and ships as an escape
(twin.cell_output), with probability

    P(escape | f) = P(f + s z >= g) = Phi((f - g) / s)   for f < g.

Unit of grading (assumption): the sheet. A cell's layers are taken from the sheets stacked one after another
out of one lot, so the cell delivers what its sheets' layers deliver and one measurement grades that sheet's
pieces together; cells stacked from ~L sheets at random would average their spread (narrower by sqrt(L)).
A sheet graded out after stacking leaves as whole cells of its lot and takes no cellmates from other sheets; a
sheet the scatter falsely rejects follows the end-of-line test's rule (its cells' other layers are lost as
cellmates, twin.cell_output), and a truly low sheet the scatter passes is an escape like any other.

Channel time per cell: (1 + f_CV) / C_charge + 1 / C_discharge + shipping SOC / C_charge + rests (a full
charge at the cell's rated charge with its constant-voltage tail, the measuring discharge at the rated rate, then
the recharge to the shipping state; twin.grading_tester), on the check's end-of-line tester channels (the cell
holds its channel for both tests) or on the grading's own ``channels_per_machine``.
"""

from __future__ import annotations

import numpy as np

from twin.figures import plain
from twin.scenario import Scenario
from twin.sheet_batch import CAUSE_INDEX, SheetBatch

_DRAW_CLIP = 1e-12  # keeps a uniform of exactly 0 or 1 off the normal quantile's infinities
_DECIDED_Z = 8.0     # above |Phi^-1(1e-12)| = 7.03: no clipped draw moves a sheet this far off the grade
GRADING_CAUSE = "low_capacity"


def true_capacity_fraction(scenario: Scenario, values: np.ndarray) -> np.ndarray:
    """Capacity each sheet's cell layers deliver at the rated rate, as a share of the design capacity [-]."""
    from twin.cell_output import delivered_capacity_mAh_per_cm2, design_capacity_mAh_per_cm2  # imports operations

    return delivered_capacity_mAh_per_cm2(scenario, values) / design_capacity_mAh_per_cm2(scenario)


def measured_capacity_fraction(true_fraction: np.ndarray, sd_fraction: float,
                               draw: np.ndarray | None) -> np.ndarray:
    """f + s Phi^-1(u): the capacity the channel reads, as a share of the design [-] (``draw``: uniforms)."""
    if draw is None or sd_fraction == 0.0:
        return np.asarray(true_fraction, dtype=float)
    from scipy.special import ndtri

    return true_fraction + sd_fraction * ndtri(np.clip(draw, _DRAW_CLIP, 1.0 - _DRAW_CLIP))


def escape_probability(true_fraction, grade: float, sd_fraction: float):
    """P(a cell truly below the grade measures at or above it) = Phi((f - g) / s) [-]; 0 at or above the grade
    (no escape there) and 0 for s = 0 below it."""
    from scipy.special import ndtr

    true_fraction = np.asarray(true_fraction, dtype=float)
    below = true_fraction < grade
    if sd_fraction == 0.0:
        return np.zeros_like(true_fraction)
    return np.where(below, ndtr((true_fraction - grade) / sd_fraction), 0.0)


def apply_capacity_grading(scenario: Scenario, step, step_index: int, batch: SheetBatch,
                           draw: np.ndarray | None) -> None:
    """Grade the alive sheets of ``batch`` at ``step`` (a quality check with ``capacity_grading``).

    Measured below the grade: scrapped, ``low_capacity`` if truly below, else ``false_reject``. Truly below
    and measured at or above: goes on, its first out-of-spec cause and check written (an escape unless a
    later check scraps it).
    """
    grading = step.capacity_grading
    alive = batch.alive
    if not alive.any():
        return
    true = true_capacity_fraction(scenario, batch.values)
    grade = grading.min_capacity_fraction
    sd = grading.measurement_sd_fraction
    measured = true
    if draw is not None and sd > 0.0:
        # only a sheet within _DECIDED_Z scatter widths of the grade can be measured on the other side of it: the
        # clipped uniform's quantile never exceeds 7.03, so the others' decision is the same bit for bit and the
        # plant (~2.5e7 sheets a year at the baseline's end-of-line test) skips their normal quantiles
        near = np.flatnonzero(np.abs(true - grade) <= _DECIDED_Z * sd)
        if near.size:
            measured = true.copy()
            measured[near] = measured_capacity_fraction(true[near], sd, draw[near])
    below = alive & (true < grade)
    rejected = alive & (measured < grade)
    missed = below & ~rejected
    if missed.any():
        state = batch.state
        first = missed & np.isnan(state["out_of_spec_cause"])
        state["out_of_spec_cause"][first] = CAUSE_INDEX[GRADING_CAUSE]
        state["out_of_spec_step"][first] = step_index
    if rejected.any():
        graded_out = rejected & below
        batch.scrap(graded_out, step_index, GRADING_CAUSE)
        # a graded-out sheet's pieces leave as whole cells of its lot (the unit of grading above), so they take no
        # cellmates from other sheets: not counted among the pieces rejected after stacking (twin.cell_output;
        # the plant leaves the low_capacity sheets out of that count likewise, twin.des.statistics). Random
        # cellmates would turn a 98 % grade-out into (2 %)^L good cells, 1e-13 a day at 1e20 USD/kWh.
        batch.state["stacked_pieces"][graded_out] = np.nan
        batch.scrap(rejected & ~below, step_index, "false_reject")


def grading_channel_hours(scenario: Scenario, grading) -> float:
    """Hours one cell holds a channel [h]: (1 + f_CV) / C_charge + 1 / C_discharge + SOC_ship / C_charge + rests
    (twin.grading_tester.channel_hours)."""
    from twin.grading_tester import channel_hours

    return channel_hours(scenario, grading)


def grading_time_per_sheet_s(scenario: Scenario, step) -> float:
    """Station time per sheet the grading adds [s]: channel hours per cell over the channels of a machine, per
    sheet (a cell is ``sheets_per_cell`` sheets' pieces)."""
    grading = step.capacity_grading
    channels = grading.channels_per_machine
    if channels is None:   # on the end-of-line tester's channels (the schema requires one then)
        channels = step.method.channels_per_machine
    return grading_channel_hours(scenario, grading) * 3600.0 / (channels * scenario.sheets_per_cell)


def grading_summary(scenario: Scenario, step, values: np.ndarray) -> dict:
    """The grading's spec line at its check: the measured sheets' true capacity share (mean, p5, p50, p95), the
    grade, sense "min", the share truly below it and the expected share of those the scatter passes."""
    from twin.grading_tester import tester_figures
    from twin.results import quality_summary

    grading = step.capacity_grading
    true = true_capacity_fraction(scenario, values)
    below = true < grading.min_capacity_fraction
    missed = escape_probability(true, grading.min_capacity_fraction, grading.measurement_sd_fraction)
    return {**quality_summary(true), "limit": grading.min_capacity_fraction, "sense": "min",
            "out_of_spec_fraction": float(below.mean()) if below.size else 0.0,
            "expected_missed_fraction": float(missed.mean()) if missed.size else 0.0,
            "sheets_measured": int(true.size), "tester": tester_figures(scenario, step)}


def grading_checks(scenario: Scenario) -> list:
    """The route's quality checks that grade capacity, in route order."""
    return [step for step in scenario.route if getattr(step, "capacity_grading", None) is not None]


def graded_clause(scenario: Scenario) -> str | None:
    """What scraps cells that deliver too little, for the capacity sentence: the grading check(s), else None."""
    checks = grading_checks(scenario)
    if not checks:
        return None
    return "; ".join(f"capacity grading at {step.name} (grade {step.capacity_grading.min_capacity_fraction * 100:g} % "
                     "of the design capacity) scraps the cells measured below it" for step in checks)


def grading_sentence(result: dict, testers: dict | None = None) -> str | None:
    """Per grading check, what it asks of its tester (twin.grading_tester.tester_sentence: from the check's
    summary in the result, else from ``testers``, {check: twin.grading_tester.tester_figures}, for a result
    without summaries such as simulate's), then, where it scrapped cells: what the cells measured against the
    grade, the share of the pieces started scrapped for ``low_capacity`` there and the expected share the scatter
    let through; None when there is nothing to say."""
    from twin.grading_tester import tester_sentence

    shares = (result.get("yield") or {}).get("scrap_shares") or []
    sentences = []
    at_checks = result.get("quality_at_check") or {}
    stations = result.get("stations") or {}
    for check, tester in (testers or {}).items():
        if check not in at_checks:
            sentences.append(tester_sentence(check, tester, stations.get(check), result.get("cell")))
    for entry in shares:   # simulate has no quality_at_check: what the grading scrapped, from the scrap shares
        if entry["cause"] == GRADING_CAUSE and entry["fraction"] > 0.0 and entry["step"] not in at_checks:
            sentences.append(f"Capacity grading at {entry['step']}: {plain(entry['fraction'] * 100)} % of the pieces "
                             f"started were scrapped there for {GRADING_CAUSE} (cells measured below the grade).")
    for check, block in at_checks.items():
        graded = block.get("delivered_capacity_fraction_of_design")
        if not graded:
            continue
        if graded.get("tester"):   # what the grading asks of its tester, whatever it scrapped
            sentences.append(tester_sentence(check, graded["tester"], stations.get(check), result.get("cell")))
        scrapped = sum(entry["fraction"] for entry in shares
                       if entry["step"] == check and entry["cause"] == GRADING_CAUSE)
        if scrapped <= 0.0:   # the scrap part only where it scrapped; what its scatter passed is in the escapes
            continue
        mean = graded["mean"]
        measured = f"{mean * 100:.3g} %" if mean is not None else "n/a"
        sentences.append(
            f"Capacity grading at {check}: the cells it measured deliver {measured} of the design capacity on "
            f"average ({graded['out_of_spec_fraction'] * 100:.2f} % of them below the grade of "
            f"{graded['limit'] * 100:g} %), so {plain(scrapped * 100)} % of the pieces started were scrapped there for "
            f"{GRADING_CAUSE}; its measurement scatter is expected to let "
            f"{graded['expected_missed_fraction'] * 100:.2g} % of the cells it measured through below the grade "
            "(expected: the average of each cell's chance to pass; the escapes by source count the cells this "
            "sample's draw let through, which scatter about it). "
            + _why_below(graded))
    return " ".join(sentences) or None


def _why_below(graded: dict) -> str:
    """Why the cells measured below the grade: short of the design (the capacity sentence says what the cathode
    lacks) or made to it under a grade above what the line makes."""
    from twin.capacity_sentences import CAPACITY_SHORTFALL_TOLERANCE

    mean = graded["mean"]
    if mean is not None and mean >= 1.0 - CAPACITY_SHORTFALL_TOLERANCE and graded["limit"] > mean:
        return (f"The cells are made to the design; the grade ({graded['limit'] * 100:g} %) is above what the line "
                f"makes ({mean * 100:.3g} % on average): lower capacity_grading.min_capacity_fraction to pass them.")
    return "The capacity sentence above says what the cathode lacks."


__all__ = ["GRADING_CAUSE", "apply_capacity_grading", "escape_probability", "graded_clause", "grading_checks",
           "grading_sentence", "grading_channel_hours",
           "grading_summary", "grading_time_per_sheet_s", "measured_capacity_fraction", "true_capacity_fraction"]
