"""Surface cleaning of a fired garnet before the Li anode: heat treatment in Ar, or polishing.

The step acts on the per-sheet surface carbonate the exposure model carries (twin.sheet_exposure): the
moisture dose booked up to this step is turned into a carbonate fraction, the cleaning lowers it
(process_models.surface_cleaning), and the dose is reset to the equivalent of what is left, so the zone
air after the cleaning grows it again until the Li lamination covers it.
"""

from __future__ import annotations

import numpy as np

from process_models.atmosphere_exposure import carbonate_fraction
from process_models.surface_cleaning import carbonate_after_heat_treatment, equivalent_moisture_dose_Pa_s
from twin.operations.base import UnitOperation
from twin.scenario.route import SurfaceCleaning
from twin.sheet_layers import electrolyte_material, filled, update_electrolyte_transport


def heat_treatment_time_s(step: SurfaceCleaning) -> float:
    """Furnace time of one load [s]: ramp up from 25 C, hold, cool at the same rate (assumption)."""
    ramp_s = (step.temperature_C - 25.0) / step.heating_rate_C_per_min * 60.0
    return 2.0 * ramp_s + step.hold_time_min * 60.0


class SurfaceCleaningOperation(UnitOperation):
    kind = "surface_cleaning"
    step_class = SurfaceCleaning

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        if step.method != "polishing":
            return True  # a heat treatment acts on the surface only (garnet_surface_effects)
        state = batch.state
        # polishing takes the Li-deficient, carbonated skin off the electrolyte: it is thinner after
        thickness = state["electrolyte_thickness_m"][idx] - step.removal_depth_um * 1e-6
        worn_through = thickness <= 0.0
        # a sheet polished through is scrapped; its thickness is kept positive so the transport stays finite
        state["electrolyte_thickness_m"][idx] = np.maximum(thickness, 1e-9)
        if np.any(worn_through):
            batch.scrap_sheets(np.arange(batch.n)[idx][worn_through], step_index, "thickness_out_of_tolerance")
        update_electrolyte_transport(scenario, state, idx)
        return True

    def garnet_surface_effects(self, scenario, step, state, idx):
        if electrolyte_material(scenario).kind != "garnet":
            return
        dose = state["moisture_dose_Pa_s"][idx]
        if np.isnan(dose).all():
            return  # no exposure booked (no clock): the surface as fired, nothing to remove
        if step.method == "polishing":
            left = np.zeros_like(dose)
        else:
            left = carbonate_after_heat_treatment(carbonate_fraction(filled(dose, 0.0)),
                                                  step.temperature_C + 273.15, step.hold_time_min * 60.0)
        state["surface_carbonate_fraction"][idx] = left
        state["moisture_dose_Pa_s"][idx] = equivalent_moisture_dose_Pa_s(left)

    def batch_process(self, scenario, index, step, station):
        process_s = heat_treatment_time_s(step)
        return process_s, station.power_kW * process_s / 3600.0

    def material_items_per_sheet(self, scenario, index, step_name, step):
        if step.method != "polishing":
            return {}  # the furnace's energy, labour and capital come from its station
        return {"polishing_consumables": step.consumables_usd_per_m2 * scenario.sheet_area_m2}


OPERATION = SurfaceCleaningOperation()
