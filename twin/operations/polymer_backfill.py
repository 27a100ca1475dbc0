"""Polymer back-fill: a porous sintered electrolyte scaffold infiltrated with PEO-LiTFSI (roadmap §14.2.1, §14.4).

The physics (process_models.polymer_infiltration): the depth the melt or solution reaches in the
infiltration time (Washburn + applied pressure), the open pores it fills, and the scaffold + polymer
conductivity, with the polymer rated at the cell's operating temperature like a polymer film.
"""

from __future__ import annotations

import numpy as np

from process_models.conductivity import area_specific_resistance_ohm_m2
from process_models.parameters import load_material
from process_models.polymer_electrolyte import vtf_conductivity_S_per_m
from process_models.polymer_infiltration import (
    backfilled_conductivity_S_per_m,
    filled_pore_fraction,
    infiltration_depth_m,
)
from twin.cost.materials import material_price
from twin.material_needs import ELECTROLYTE_DENSITY_KEYS, MaterialNeed
from twin.operations.base import UnitOperation
from twin.operations.polymer_film import POLYMER_CONDUCTIVITY_KEYS, operating_temperature_C
from twin.scenario.polymer_steps import PolymerBackfill
from twin.sheet_layers import electrolyte_material

# assumption: acetonitrile (786 kg/m3, CRC Handbook) carries the polymer of a solution back-fill
SOLVENT_DENSITY_KG_PER_M3 = 786.0


def infiltration_depth(step: PolymerBackfill) -> float:
    """Depth the polymer reaches from each open face in one infiltration [m]."""
    return float(infiltration_depth_m(step.infiltration_time_min * 60.0, step.pore_radius_um * 1e-6,
                                      step.viscosity_Pa_s, step.surface_tension_mN_per_m * 1e-3,
                                      np.radians(step.contact_angle_deg), step.applied_pressure_kPa * 1e3,
                                      step.tortuosity))


def fill_per_cycle(step: PolymerBackfill) -> float:
    return 1.0 if step.method == "melt" else step.solution_solids_volume_fraction


class PolymerBackfillOperation(UnitOperation):
    kind = "polymer_backfill"
    step_class = PolymerBackfill

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        density = np.clip(state["relative_density"][idx], 0.0, 1.0)
        thickness = state["electrolyte_thickness_m"][idx]
        filled = filled_pore_fraction(infiltration_depth(step), thickness, step.exposed_faces, density,
                                      fill_per_cycle(step), step.cycles)
        polymer = load_material(step.polymer)
        sigma_polymer = float(vtf_conductivity_S_per_m(operating_temperature_C(scenario) + 273.15, polymer))
        sigma = backfilled_conductivity_S_per_m(state["ionic_conductivity_S_per_m"][idx], sigma_polymer,
                                                1.0 - density, filled, polymer["porosity_exponent"])
        state["ionic_conductivity_S_per_m"][idx] = sigma
        state["electrolyte_asr_ohm_m2"][idx] = area_specific_resistance_ohm_m2(thickness, np.maximum(sigma, 1e-30))
        return True

    def material_needs(self, scenario, step):
        return [MaterialNeed("polymer", step.polymer,
                             ELECTROLYTE_DENSITY_KEYS + POLYMER_CONDUCTIVITY_KEYS,
                             "the back-filled polymer's mass and VTF conductivity", choices=("peo_litfsi",)),
                MaterialNeed("cell.electrolyte.material", scenario.cell.electrolyte.material,
                             ("percolation_relative_density",), "the scaffold's open porosity")]

    def material_items_per_sheet(self, scenario, index, step_name, step):
        # Bought per sheet: the most the scaffold can take, all porosity down to the electrolyte's
        # percolation density filled (assumption: an upper bound; the design has no nominal density)
        polymer = load_material(step.polymer)
        porosity = 1.0 - electrolyte_material(scenario)["percolation_relative_density"]
        volume_m3 = scenario.cell.electrolyte.thickness_um * 1e-6 * porosity * scenario.sheet_area_m2
        items = {step.polymer: volume_m3 * polymer["theoretical_density_kg_per_m3"]
                 * material_price(scenario, step.polymer, step_name)}
        if step.method == "solution":
            solids = step.solution_solids_volume_fraction
            solvent_kg = volume_m3 * (1.0 - solids) / solids * SOLVENT_DENSITY_KG_PER_M3
            lost_kg = solvent_kg * (1.0 - scenario.costs.materials.solvent_recovery_fraction)
            if lost_kg > 0:
                items["solvent"] = lost_kg * material_price(scenario, "solvent", step_name)
        return items

    def batch_process(self, scenario, index, step, station):
        process_s = step.cycles * (step.infiltration_time_min + step.cure_time_min) * 60.0
        return process_s, station.power_kW * process_s / 3600.0


OPERATION = PolymerBackfillOperation()
