"""Stacking: layers stacked under pressure into a cell; sets the cell's critical current density."""

from __future__ import annotations

import numpy as np

from process_models.cell_metrics import critical_current_density_A_per_m2
from process_models.grain_growth import ccd_grain_size_factor
from twin.operations.base import UnitOperation
from twin.scenario.route import Stacking
from twin.sheet_layers import bounded, electrolyte_material, filled


class StackingOperation(UnitOperation):
    kind = "stacking"
    step_class = Stacking

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        material = electrolyte_material(scenario)
        if material.kind in ("garnet", "sulphide"):
            state["critical_current_density_A_per_m2"][idx] = critical_current_density_A_per_m2(
                filled(state["interface_asr_ohm_m2"][idx], 0.0), step.stack_pressure_MPa * 1e6,
                bounded(filled(state["relative_density"][idx], 1.0), 1e-6, 1.0), material,
                temperature_K=step.cycling_temperature_C + 273.15)
            grains = state["grain_size_m"][idx]
            if material.kind == "garnet" and not np.isnan(grains).all():  # intergranular filaments
                state["critical_current_density_A_per_m2"][idx] *= np.where(
                    np.isnan(grains), 1.0, ccd_grain_size_factor(np.nan_to_num(grains, nan=1.0), material))
        return True


OPERATION = StackingOperation()
