"""The share of a firing sheet's free Li2O flux that escapes its enclosure (cover plate gap or carbon felt).

Maps a sintering recipe's ``vapour_confinement`` (or the carbon felt every ultrafast firing lies against) and
the sheet format onto :mod:`process_models.li_vapour_confinement`. The escape fraction is taken at each
sheet's peak temperature: most Li2O leaves within RT^2/dH ~ 60 K of the peak (dH = 431 kJ/mol), where the
fraction changes by under 4 % (it grows as T^0.5 to T^1).

A cover plate is expressed relative to the same face open in the furnace
(:func:`process_models.open_furnace_transport.cover_plate_loss_relative_to_open`): the calibrated free flux is an
open-furnace flux, boundary layer included, so a plate at a wide gap tends to it. The carbon felt is still
expressed against the Hertz-Knudsen surface flux (docs/calibration/li_vapour_confinement.md, caveats: against the
open furnace's boundary layer a 3 mm felt would pass ~0.9 of the open loss).
"""

from __future__ import annotations

import numpy as np

from process_models import li_vapour_confinement, open_furnace_transport
from process_models.temperature_profile import TemperatureProfile
from twin.scenario import Scenario
from twin.scenario.route import Sintering
from twin.scenario.vapour_confinement import confinement_for


def vapour_escape_fraction(scenario: Scenario, step: Sintering, profile: TemperatureProfile, offset_K,
                           evaporation_coefficient: float = 1.0):
    """Escape fraction [-] per sheet (1.0 for an open face) of this firing's Li2O vapour."""
    confinement = confinement_for(step.heating_mode, step.vapour_confinement)
    if confinement is None or confinement.enclosure == "open":
        return 1.0
    peak_K = float(np.max(profile.knot_temperature_K)) + np.asarray(offset_K, dtype=float)
    if confinement.enclosure == "cover_plate":
        sheet = scenario.cell.format
        area_mm2 = sheet.sheet_length_mm * sheet.sheet_width_mm
        perimeter_mm = 2.0 * (sheet.sheet_length_mm + sheet.sheet_width_mm)
        return open_furnace_transport.cover_plate_loss_relative_to_open(
            peak_K, confinement.gap_height_mm * 1e-3,
            area_mm2 / (perimeter_mm * confinement.open_edge_fraction) * 1e-3, area_mm2 / perimeter_mm * 1e-3,
            evaporation_coefficient=evaporation_coefficient)
    return li_vapour_confinement.felt_escape_fraction(
        peak_K, confinement.felt_thickness_mm * 1e-3, confinement.felt_porosity,
        evaporation_coefficient=evaporation_coefficient)
