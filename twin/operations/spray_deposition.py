"""Spray deposition: an ink sprayed in passes builds a layer (electrolyte or cathode)."""

from __future__ import annotations

from process_models.solvent_removal import solvent_mass_kg
from twin.capacity import spray_time_per_sheet_s
from twin.cost.materials import layer_deposit_items, layer_solid_density_kg_per_m3, sprayed_powder_kg_per_m2
from twin.material_needs import deposit_needs
from twin.operations.base import UnitOperation
from twin.operations.calcination import powder_made_before
from twin.operations.tape_casting import CATHODE_GREEN_FIELDS
from twin.scenario.route import SprayDeposition
from twin.sheet_layers import electrolyte_material, update_capacity, update_electrolyte_transport


class SprayDepositionOperation(UnitOperation):
    kind = "spray_deposition"
    step_class = SprayDeposition

    def variation_draws(self, scenario, step):
        return [("thickness_factor", 1.0, max(scenario.variation.spray_thickness_cv, 0.0), 0.05, None)], []

    def state_free_fields(self, step):
        # an electrolyte spray also sets transport from the phases a firing may have left
        return CATHODE_GREEN_FIELDS if step.layer == "cathode" else ()

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        thickness = step.target_thickness_um * 1e-6 * conditions["thickness_factor"][idx]
        if step.layer == "electrolyte":
            state["electrolyte_thickness_m"][idx] = thickness
            state["electrolyte_green_relative_density"][idx] = step.packing_fraction
            state["relative_density"][idx] = step.packing_fraction
            material = electrolyte_material(scenario)
            factor = material.get("reprecipitation_conductivity_factor", 1.0) if step.reprecipitated else 1.0
            state["conductivity_factor"][idx] = factor
            update_electrolyte_transport(scenario, state, idx)
        else:
            state["cathode_thickness_m"][idx] = thickness
            state["cathode_relative_density"][idx] = step.packing_fraction
            update_capacity(scenario, state, idx)
        return True

    def material_needs(self, scenario, step):
        return deposit_needs(scenario, step.layer, f"spraying the {step.layer} layer (powder bought, layer state)")

    def deposited_layer(self, step):
        return step.layer

    def deposited_powder_kg_per_m2(self, step, layer, solid_density_kg_per_m3):
        return sprayed_powder_kg_per_m2(step, solid_density_kg_per_m3) if step.layer == layer else None

    def material_items_per_sheet(self, scenario, index, step_name, step):
        # the overspray is lost: the powder bought is the deposit over the transfer efficiency
        density = layer_solid_density_kg_per_m3(scenario, step.layer)
        powder_kg = sprayed_powder_kg_per_m2(step, density) * scenario.sheet_area_m2 / step.transfer_efficiency
        # powder made in-house (calcination, argyrodite milling): that step priced its precursors
        items = layer_deposit_items(scenario, step_name, step.layer, powder_kg, 0.0,
                                    buy_powder=not powder_made_before(scenario, step.layer, index))
        return items

    def continuous_speed_m_per_s(self, scenario, index, step, station):
        sheet_length_m = scenario.cell.format.sheet_length_mm * 1e-3
        return sheet_length_m / spray_time_per_sheet_s(scenario, step)

    def discrete_process_s(self, scenario, step, station):
        process_s = spray_time_per_sheet_s(scenario, step)
        if station.cycle_time_s is not None:
            process_s = max(process_s, station.cycle_time_s)
        return process_s

    def solvent_removal(self, scenario, index, step):
        # the ink sprayed for the sheet's deposit, overspray included (its solvent evaporates in the booth too)
        solids_m3 = step.target_thickness_um * 1e-6 * step.packing_fraction * scenario.sheet_area_m2
        ink_m3 = solids_m3 / (step.ink_solids_volume_fraction * step.transfer_efficiency)
        removed_kg = float(solvent_mass_kg(ink_m3, step.ink_solids_volume_fraction, step.solvent))
        return step.solvent, step.drying_temperature_C, removed_kg


OPERATION = SprayDepositionOperation()
