"""Electrolyte filling: liquid electrolyte dosed into a stacked Li-ion cell, soaked and sealed.

The filled separator becomes the cell's electrolyte layer (Bruggeman ASR, process_models.liquid_electrolyte);
the pore electrolyte of the positive electrode adds its porous-electrode ASR (booked in the catholyte
row, the liquid on the positive side, as for a hybrid cell) and the step's charge-transfer ASR goes to
the interface row; twin.cell_output rates the delivered energy over their sum.
"""

from __future__ import annotations

import numpy as np

from process_models import liquid_electrolyte
from process_models.parameters import load_material
from twin.cost.materials import material_price
from twin.operations.base import UnitOperation
from twin.operations.slurry_mixing import ANODE_MATERIAL
from twin.scenario.liion_steps import ElectrolyteFilling
from twin.sheet_layers import filled


def design_positive_porosity(scenario) -> float:
    """Positive-electrode porosity of the design: 1 - target capacity / capacity at full density."""
    from twin.capacity import cathode_design_capacity_mAh_per_cm2

    full = cathode_design_capacity_mAh_per_cm2(scenario)
    return max(0.0, 1.0 - scenario.cell.target_areal_capacity_mAh_per_cm2 / full)


def electrolyte_kg_per_m2(scenario, step) -> float:
    """Electrolyte dosed per m^2 of cell layer at the design porosities [kg/m^2]."""
    electrolyte = load_material(scenario.cell.electrolyte.material)
    volume = float(liquid_electrolyte.fill_volume_m3_per_m2(
        scenario.cell.cathode.thickness_um * 1e-6, design_positive_porosity(scenario),
        step.separator_thickness_um * 1e-6, step.separator_porosity,
        scenario.cell.anode.thickness_um * 1e-6, step.negative_electrode_porosity, step.excess_fraction))
    return volume * electrolyte["theoretical_density_kg_per_m3"]


class ElectrolyteFillingOperation(UnitOperation):
    kind = "electrolyte_filling"
    step_class = ElectrolyteFilling

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        electrolyte = load_material(scenario.cell.electrolyte.material)
        kappa = electrolyte["dense_conductivity_S_per_m"]
        thickness = step.separator_thickness_um * 1e-6
        state["electrolyte_thickness_m"][idx] = thickness
        # filled separator density relative to the liquid's (polymer + liquid in its pores)
        state["relative_density"][idx] = (step.separator_porosity + (1.0 - step.separator_porosity)
                                          * step.separator_density_kg_per_m3
                                          / electrolyte["theoretical_density_kg_per_m3"])
        state["ionic_conductivity_S_per_m"][idx] = liquid_electrolyte.effective_conductivity_S_per_m(
            kappa, step.separator_porosity)
        state["electrolyte_asr_ohm_m2"][idx] = liquid_electrolyte.separator_asr_ohm_m2(
            thickness, step.separator_porosity, kappa)
        cathode_density = np.clip(filled(state["cathode_relative_density"][idx], 1.0), 0.0, 1.0)
        cathode_thickness = filled(state["cathode_thickness_m"][idx], scenario.cell.cathode.thickness_um * 1e-6)
        state["catholyte_asr_ohm_m2"][idx] = liquid_electrolyte.porous_electrode_asr_ohm_m2(
            cathode_thickness, 1.0 - cathode_density, kappa)
        state["interface_asr_ohm_m2"][idx] = step.charge_transfer_asr_ohm_cm2 * 1e-4
        return True

    def batch_process(self, scenario, index, step, station):
        process_s = step.fill_time_s + step.wetting_time_h * 3600.0
        return process_s, (station.power_kW or 0.0) * process_s / 3600.0

    def material_items_per_sheet(self, scenario, index, step_name, step):
        area = scenario.cell.format.cells_per_sheet * scenario.cell_layer_area_m2  # the pieces, not the trim
        separator_kg = area * step.separator_thickness_um * 1e-6 * (1.0 - step.separator_porosity) \
            * step.separator_density_kg_per_m3
        electrolyte = scenario.cell.electrolyte.material
        return {electrolyte: area * electrolyte_kg_per_m2(scenario, step) * material_price(scenario, electrolyte,
                                                                                          step_name),
                "separator": separator_kg * material_price(scenario, "separator", step_name)}


OPERATION = ElectrolyteFillingOperation()

__all__ = ["ANODE_MATERIAL", "OPERATION", "design_positive_porosity", "electrolyte_kg_per_m2"]
