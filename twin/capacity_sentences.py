"""The sentences that compare what the cells deliver with their design: short of it (and why: the cathode as
made, its utilisation, the cell's resistance), above it (and why: the rating basis), or nothing good made.

Called by twin.cell_output.cell_block, which gives the ``cell`` result block its ``capacity_shortfall`` and
``capacity_above_design`` sentences.
"""

from __future__ import annotations

import numpy as np

from twin.capacity_grading import graded_clause
from twin.cell_rating import _mean, cathode_utilisation, cyclable_capacity_mAh_per_cm2, first_cycle_li_loss_fraction
from twin.figures import plain
from twin.scenario import Scenario
from twin.sheet_batch import SHEET_STATE_FIELDS

_ROW = {name: SHEET_STATE_FIELDS.index(name) for name in SHEET_STATE_FIELDS}


def _delivered(scenario: Scenario, values: np.ndarray) -> np.ndarray:
    from twin.cell_output import delivered_capacity_mAh_per_cm2  # twin.cell_output imports this module

    return delivered_capacity_mAh_per_cm2(scenario, values)


def _total_asr_ohm_m2(values: np.ndarray) -> np.ndarray:
    from twin.cell_output import total_asr_ohm_m2

    return total_asr_ohm_m2(values)


# Delivered below the design by more than this share is reported as a shortfall (2 %: beyond the
# spread of the sampled mean, well inside what a cell maker would call "not meeting the design").
CAPACITY_SHORTFALL_TOLERANCE = 0.02


def _cyclable_losses(scenario: Scenario, good_values: np.ndarray) -> list[str]:
    """Why the stored capacity is not all cycled: the porous cathode's utilisation, an anode-free cell's
    first-cycle Li loss (the clauses of the shortfall sentence)."""
    clauses = []
    utilisation = _mean(np.atleast_1d(np.asarray(cathode_utilisation(scenario, good_values), dtype=float)), 1.0)
    if utilisation < 1.0 - 1e-9:
        density = _mean(good_values[_ROW["cathode_relative_density"]], float("nan"))
        clauses.append(f"its cathode at relative density {density:.2f} reaches {utilisation * 100.0:.0f} % of its "
                       "active material (empty pores cut the ionic and electronic paths; denser sintering or "
                       "pressing raises it)")
    loss = first_cycle_li_loss_fraction(scenario)
    if loss > 0.0:
        clauses.append(f"an anode-free cell loses {loss * 100.0:.0f} % of its Li plating the anode in formation "
                       "(process_models.formation), so the design needs that much more cathode")
    return clauses


# Delivered below this share of the design, a cell is not the product the design describes: the sentence says
# that the yield still counts it good (no check on the line measures capacity). assumption: half the design,
# far below any capacity grade a cell maker sells.
NOT_A_PRODUCT_SHARE = 0.5


def _not_tested(scenario: Scenario, delivered: float, design: float) -> str:
    if delivered >= design * NOT_A_PRODUCT_SHARE:
        return ""
    graded = graded_clause(scenario)
    if graded is not None:
        return (f". Delivering {delivered / design * 100.0:.2g} % of the design, these cells are not the product the "
                f"design describes: {graded}")
    return (f". Delivering {delivered / design * 100.0:.2g} % of the design, these cells are not the product the "
            "design describes, yet the yield counts them good and the cost per kWh divides by their energy: no "
            "check on this line measures capacity (a formation or end-of-line capacity test would reject them; "
            "a quality_check's capacity_grading does)")


def capacity_shortfall_sentence(scenario: Scenario, design: float, delivered: float, made: float,
                                good_values: np.ndarray) -> str | None:
    """One plain sentence when the good cells deliver less than the design capacity, with why; else None."""
    if delivered >= design * (1.0 - CAPACITY_SHORTFALL_TOLERANCE):
        return None
    rate = scenario.cell.rating.c_rate_per_h
    rate_text = f"C/{1.0 / rate:.3g}" if rate < 1.0 else f"{rate:.3g}C"
    sentence = (f"The cells deliver {delivered:.2f} mAh/cm2 at {rate_text} against a design of {design:.2f} "
                f"mAh/cm2 ({(1.0 - delivered / design) * 100.0:.0f} % short): ")
    cyclable = _mean(cyclable_capacity_mAh_per_cm2(scenario, good_values), 0.0)
    if made < design * (1.0 - CAPACITY_SHORTFALL_TOLERANCE):
        density = _mean(good_values[_ROW["cathode_relative_density"]], float("nan"))
        thickness_um = _mean(good_values[_ROW["cathode_thickness_m"]], float("nan")) * 1e6
        sentence += (f"the cathode as made holds {made:.2f} mAh/cm2 ({thickness_um:.0f} um at relative "
                     f"density {density:.2f}; the design assumes {scenario.cell.cathode.thickness_um:g} um "
                     "fully dense)")
        if cyclable < made * (1.0 - CAPACITY_SHORTFALL_TOLERANCE):
            sentence += f", and of that the cell cycles {cyclable:.2f}: " + "; ".join(_cyclable_losses(scenario,
                                                                                                        good_values))
        return sentence + _not_tested(scenario, delivered, design) + "."
    if cyclable < design * (1.0 - CAPACITY_SHORTFALL_TOLERANCE):
        return sentence + f"the cathode stores {made:.2f} mAh/cm2 but the cell cycles {cyclable:.2f}: " + \
            "; ".join(_cyclable_losses(scenario, good_values)) + _not_tested(scenario, delivered, design) + "."
    # the median cell's ASR: a mean is set by a few sheets whose electrolyte hydrolysed to an open circuit
    # (8.69e+06 ohm cm2 over a median of 79), not by the cells whose voltage drop makes the shortfall
    asr = _total_asr_ohm_m2(good_values)
    asr_cm2 = float(np.median(asr[np.isfinite(asr)])) * 1e4 if np.isfinite(asr).any() else float("nan")
    parts = "electrolyte + interface"
    if scenario.cell.anode.type == "graphite":  # a Li-ion cell (twin.operations.electrolyte_filling)
        parts = "filled separator + charge transfer + positive-electrode pores"
    elif not np.isnan(good_values[_ROW["catholyte_asr_ohm_m2"]]).all():  # a hybrid cell's liquid side
        parts += " + catholyte and SLEI"
    return sentence + (f"the median cell's {plain(asr_cm2)} ohm cm2 ({parts}) drops too much voltage at "
                       "the rated current.")


def no_good_cell_sentence(scenario: Scenario, values: np.ndarray, design: float) -> str:
    """No good cell: what the sheets made with a cathode (kept or scrapped) would deliver, when short of the
    design, so the reader learns why a capacity grading scrapped them all."""
    made_values = values[:, ~np.isnan(values[_ROW["areal_capacity_mAh_per_cm2"]])]
    sentence = None
    if made_values.shape[1]:
        delivered = _mean(_delivered(scenario, made_values), 0.0)
        made = _mean(made_values[_ROW["areal_capacity_mAh_per_cm2"]], 0.0)
        sentence = capacity_shortfall_sentence(scenario, design, delivered, made, made_values)
    if sentence is None:
        above = _grade_above_made(scenario, _mean(_delivered(scenario, made_values), 0.0) / design
                                  if made_values.shape[1] and design > 0.0 else None)
        return above or "No good cell was made, so none delivers any capacity."
    return "No good cell was made. Of the sheets made (kept or scrapped): " + sentence[0].lower() + sentence[1:]


def _grade_above_made(scenario: Scenario, delivered_fraction: float | None) -> str | None:
    """No good cell because a capacity grade asks more than the sheets made deliver though they meet the design
    (the shortfall sentence had nothing to say): name the grade and what the line makes; else None."""
    if delivered_fraction is None or delivered_fraction <= 0.0:
        return None
    for step in scenario.route:
        grading = getattr(step, "capacity_grading", None)
        if grading is not None and grading.min_capacity_fraction > delivered_fraction:
            return (f"No good cell was made: the sheets made deliver {delivered_fraction * 100:.3g} % of the design "
                    f"capacity on average, as designed, but capacity grading at {step.name} scraps every cell "
                    f"below its grade of {grading.min_capacity_fraction * 100:g} % "
                    "(capacity_grading.min_capacity_fraction), above what the line makes.")
    return None


def capacity_surplus_sentence(scenario: Scenario, design: float, delivered: float, made: float,
                              good_values: np.ndarray) -> str | None:
    """One plain sentence when the good cells deliver more than the design capacity, with why; else None.

    The design capacity is the target (``cell.target_areal_capacity_mAh_per_cm2``) capped by what the designed
    cathode holds fully dense: a cathode designed thicker than the target needs, or made thicker than designed,
    delivers above it. Not a fault of the physics (the cost counts the delivered energy): the design's two
    figures disagree, and the sentence says which to change.
    """
    from twin.capacity import cathode_design_capacity_mAh_per_cm2
    from twin.cell_rating import _thickness_field, thickness_recipe_step

    if delivered <= design * (1.0 + CAPACITY_SHORTFALL_TOLERANCE):
        return None
    cell = scenario.cell
    cathode = cell.cathode
    full = cathode_design_capacity_mAh_per_cm2(scenario)
    thickness_um = _mean(good_values[_ROW["cathode_thickness_m"]], float("nan")) * 1e6
    density = _mean(good_values[_ROW["cathode_relative_density"]], float("nan"))
    sentence = (f"Above the design: the cells deliver {delivered:.2f} mAh/cm2 at the rated rate, "
                f"{(delivered / design - 1.0) * 100.0:+.1f} % on the design's {design:.2f} mAh/cm2, "
                f"which is the target "
                f"(cell.target_areal_capacity_mAh_per_cm2) the energy per cell is designed on")
    reasons = []
    if full > cell.target_areal_capacity_mAh_per_cm2 * (1.0 + CAPACITY_SHORTFALL_TOLERANCE / 2.0):
        reasons.append(f"the designed cathode ({cathode.thickness_um:g} um at {cathode.active_volume_fraction * 100:g} "
                       f"vol% active) holds {full:.2f} mAh/cm2 fully dense, more than the target needs")
    if np.isfinite(thickness_um) and thickness_um > cathode.thickness_um * (1.0 + CAPACITY_SHORTFALL_TOLERANCE / 2.0):
        reasons.append(f"the line makes the cathode {thickness_um:.3g} um, "
                       f"{(thickness_um / cathode.thickness_um - 1.0) * 100.0:+.1f} % on its design")
    reasons.append(f"as made (relative density {density:.2f}) it stores {made:.2f} mAh/cm2")
    sentence += ": " + "; ".join(reasons) + ". The cost per kWh counts what the cells deliver, so it is right; to " \
        f"rate them on it, set cell.target_areal_capacity_mAh_per_cm2 to about {delivered:.3g}"
    step = thickness_recipe_step(scenario, "cathode")
    if step is not None:
        field = _thickness_field(step)
        value = getattr(step, field)
        sentence += (f", or make less cathode to deliver the target (route.{step.name}.{field}, now {value:g}: "
                     f"about {value * design / delivered:.3g})")
    return sentence + "."


__all__ = ["CAPACITY_SHORTFALL_TOLERANCE", "NOT_A_PRODUCT_SHARE", "capacity_shortfall_sentence",
           "capacity_surplus_sentence", "no_good_cell_sentence"]
