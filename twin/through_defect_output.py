"""What a separator made thinner (or thicker) than its defect density's reference does to its killer defects.

A route step whose killer defects cross the electrolyte (``through_defects``) states its density at a
reference thickness; the cell's design electrolyte thickness moves it (process_models.through_defects,
applied in twin.sheet_conditions). This block and sentence tell the user that the yield moved for that
reason, and by how much per cell piece, where the thickness differs from the reference.
"""

from __future__ import annotations

import math

from twin.scenario import Scenario
from twin.sheet_conditions import killer_defect_density_per_m2


def through_defect_block(scenario: Scenario) -> dict | None:
    """``{step: {thickness_um, reference_thickness_um, size_exponent, density_at_reference_per_m2,
    density_per_m2, piece_hit_probability_at_reference, piece_hit_probability}}`` for each step with
    through-thickness defects whose reference differs from the cell's electrolyte thickness; None if none.

    The piece probabilities are those of one cell piece of the sheet (area A / c): 1 - exp(-D A / c).
    """
    thickness_um = scenario.cell.electrolyte.thickness_um
    piece_area_m2 = scenario.sheet_area_m2 / scenario.cell.format.cells_per_sheet
    block = {}
    for step in scenario.route:
        through = step.through_defects
        if through is None or step.defect_density_per_m2 == 0 or through.reference_thickness_um == thickness_um:
            continue
        density = killer_defect_density_per_m2(scenario, step)
        block[step.name] = {
            "thickness_um": thickness_um,
            "reference_thickness_um": through.reference_thickness_um,
            "size_exponent": through.size_exponent,
            "density_at_reference_per_m2": step.defect_density_per_m2,
            "density_per_m2": density,
            "piece_hit_probability_at_reference": -math.expm1(-step.defect_density_per_m2 * piece_area_m2),
            "piece_hit_probability": -math.expm1(-density * piece_area_m2),
        }
    return block or None


def through_defect_sentence(block: dict | None) -> str | None:
    """One line naming each step whose through-thickness killer defects the thickness moved; None without."""
    if not block:
        return None
    parts = []
    for name, entry in block.items():
        thinner = entry["thickness_um"] < entry["reference_thickness_um"]
        parts.append(
            f"{name}'s killer defects that cross the layer {'rise' if thinner else 'fall'} "
            f"{entry['density_at_reference_per_m2']:.3g} -> {entry['density_per_m2']:.3g} per m2 "
            f"(x{entry['density_per_m2'] / entry['density_at_reference_per_m2']:.3g}: the flaws at least as "
            f"large as the layer, N(>t) ~ t^-{entry['size_exponent']:g}), so a cell piece carries one with "
            f"{entry['piece_hit_probability'] * 100:.2f} % probability instead of "
            f"{entry['piece_hit_probability_at_reference'] * 100:.2f} %")
    first = next(iter(block.values()))
    direction = "Thinner" if first["thickness_um"] < first["reference_thickness_um"] else "Thicker"
    return (f"{direction} electrolyte: {first['thickness_um']:g} um against the {first['reference_thickness_um']:g} "
            f"um its defect density was stated for: " + "; ".join(parts)
            + " (booked as the step's defects: scrap cause 'defect', or 'latent_defect' where a check finds them, "
              "or escapes).")


__all__ = ["through_defect_block", "through_defect_sentence"]
