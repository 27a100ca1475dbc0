"""Slurry mixing: a batch mixer makes the coating slurry of one layer (counted per sheet-equivalent).

Time and energy per station load from process_models.slurry_mixing (whole batches of ``batch_size_kg``,
specific energy per kg of slurry, plus the station's metered auxiliaries ``power_kW``); the slurry lost
in the mixer raises the coated layer's material bill by loss / (1 - loss). A graphite (anode) slurry is
bought here in full, at the loading the cell design's N/P ratio gives.
"""

from __future__ import annotations

from process_models import slurry_mixing
from process_models.parameters import load_material
from twin.cost.materials import layer_powder_kg_per_sheet, material_price
from twin.operations.base import UnitOperation
from twin.scenario.errors import ScenarioError
from twin.scenario.liion_steps import SlurryMixing

ANODE_MATERIAL = "graphite_electrode"


def _deposition_after(scenario, index: int, layer: str):
    """(route index, step) of the first step after ``index`` that deposits ``layer``, or None."""
    from twin.operations import operation_for

    for later in range(index + 1, len(scenario.route)):
        step = scenario.route[later]
        if operation_for(step).deposited_layer(step) == layer:
            return later, step
    return None


def anode_graphite_kg_per_m2(scenario) -> float:
    """Graphite per m^2 of cell layer: positive design capacity x N/P / graphite capacity [kg/m^2]."""
    from twin.cell_output import design_capacity_mAh_per_cm2

    graphite = load_material(ANODE_MATERIAL)
    ratio = scenario.cell.anode.n_to_p_ratio or 1.0
    # mAh/cm2 x 10 = Ah/m2; mAh/g = Ah/kg
    return design_capacity_mAh_per_cm2(scenario) * 10.0 * ratio / graphite["specific_capacity_mAh_per_g"]


def solids_kg_per_sheet(scenario, index: int, step) -> float:
    """The layer's solids one sheet carries [kg]."""
    if step.layer == "anode":
        return anode_graphite_kg_per_m2(scenario) * (1.0 + step.anode_binder_mass_fraction) * scenario.sheet_area_m2
    found = _deposition_after(scenario, index, step.layer)
    if found is None:
        raise ScenarioError([f"route[{index}].slurry_mixing: no step after it coats the {step.layer} layer"])
    return layer_powder_kg_per_sheet(scenario, step.layer, found[0] + 1)


class SlurryMixingOperation(UnitOperation):
    kind = "slurry_mixing"
    step_class = SlurryMixing
    changes_sheets = False  # the slurry's state is the coated layer's, set where it is coated

    def batch_process(self, scenario, index, step, station):
        per_sheet = float(slurry_mixing.slurry_kg(solids_kg_per_sheet(scenario, index, step),
                                                  step.solids_mass_fraction))
        load_kg = per_sheet * station.batch_capacity_sheets
        batches = float(slurry_mixing.mixer_batches(load_kg, step.batch_size_kg))
        process_s = batches * step.mixing_time_min * 60.0
        energy = float(slurry_mixing.mixing_energy_kWh(load_kg, step.specific_energy_kWh_per_kg))
        return process_s, energy + (station.power_kW or 0.0) * process_s / 3600.0

    def material_items_per_sheet(self, scenario, index, step_name, step):
        extra = float(slurry_mixing.bought_per_used(step.material_loss_fraction))
        if step.layer == "anode":
            area = scenario.sheet_area_m2
            graphite_kg = anode_graphite_kg_per_m2(scenario) * area
            items = {"graphite": graphite_kg * extra * material_price(scenario, "graphite", step_name)}
            if step.anode_binder_mass_fraction > 0:
                items["anode_binder"] = (graphite_kg * step.anode_binder_mass_fraction * extra
                                         * material_price(scenario, "anode_binder", step_name))
            return items
        from twin.operations import operation_for

        found = _deposition_after(scenario, index, step.layer)
        if found is None or extra == 1.0:
            return {}
        later, coating = found
        coated = operation_for(coating).material_items_per_sheet(scenario, later, coating.name, coating)
        return {f"{name}_mixing_loss": usd * (extra - 1.0) for name, usd in coated.items()}


OPERATION = SlurryMixingOperation()
