"""Tape casting: a doctor blade casts a slurry onto a carrier film (Chou et al. 1987)."""

from __future__ import annotations

from process_models import tape_casting
from twin.capacity import casting_wet_thickness_m
from twin.cost.materials import (
    BINDER_DENSITY_KG_PER_M3,
    cast_powder_kg_per_m2,
    layer_deposit_items,
    layer_solid_density_kg_per_m3,
    web_area_per_sheet_m2,
)
from twin.material_needs import deposit_needs
from twin.operations.base import UnitOperation
from twin.operations.calcination import powder_made_before
from twin.scenario.route import TapeCasting
from twin.sheet_layers import update_capacity

ELECTROLYTE_GREEN_FIELDS = ("electrolyte_thickness_m", "electrolyte_green_relative_density", "relative_density")
CATHODE_GREEN_FIELDS = ("cathode_thickness_m", "cathode_relative_density", "areal_capacity_mAh_per_cm2")


class TapeCastingOperation(UnitOperation):
    kind = "tape_casting"
    step_class = TapeCasting
    recipe_fields = ("tape_blade_gap_um",)

    def set_recipe_field(self, data, field, value):
        data["blade_gap_um"] = value

    def variation_draws(self, scenario, step):
        variation = scenario.variation
        return [("thickness_factor", 1.0, max(variation.tape_thickness_cv, 0.0), 0.05, None),
                ("green_relative_density", step.green_relative_density, variation.green_density_sd, 0.3, 0.75)], []

    def state_free_fields(self, step):
        return ELECTROLYTE_GREEN_FIELDS if step.layer == "electrolyte" else CATHODE_GREEN_FIELDS

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        green_density = conditions["green_relative_density"][idx]
        thickness = tape_casting.green_thickness_m(casting_wet_thickness_m(step) * conditions["thickness_factor"][idx],
                                                   step.slurry_solids_volume_fraction, green_density)
        if step.layer == "electrolyte":
            state["electrolyte_thickness_m"][idx] = thickness
            state["electrolyte_green_relative_density"][idx] = green_density
            state["relative_density"][idx] = green_density
        else:
            state["cathode_thickness_m"][idx] = thickness
            state["cathode_relative_density"][idx] = green_density
            update_capacity(scenario, state, idx)
        return True

    def material_needs(self, scenario, step):
        return deposit_needs(scenario, step.layer, f"casting the {step.layer} layer (powder bought, layer state)")

    def deposited_layer(self, step):
        return step.layer

    def deposited_powder_kg_per_m2(self, step, layer, solid_density_kg_per_m3):
        return cast_powder_kg_per_m2(step, solid_density_kg_per_m3) if step.layer == layer else None

    def material_items_per_sheet(self, scenario, index, step_name, step):
        # per m2 of web: the edge strip between lanes is cast too
        density = layer_solid_density_kg_per_m3(scenario, step.layer)
        area_m2 = web_area_per_sheet_m2(scenario, step_name)
        powder_kg = cast_powder_kg_per_m2(step, density) * area_m2
        binder_kg = (casting_wet_thickness_m(step) * step.slurry_solids_volume_fraction
                     * step.binder_volume_fraction_of_solids * BINDER_DENSITY_KG_PER_M3 * area_m2)
        # powder made in-house (calcination, argyrodite milling): that step priced its precursors
        items = layer_deposit_items(scenario, step_name, step.layer, powder_kg, binder_kg,
                                    buy_powder=not powder_made_before(scenario, step.layer, index))
        return items

    def continuous_speed_m_per_s(self, scenario, index, step, station):
        return step.casting_speed_m_per_min / 60.0


OPERATION = TapeCastingOperation()
