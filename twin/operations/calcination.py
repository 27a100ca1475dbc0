"""Calcination: the garnet powder of a layer made in-house by solid-state reaction in a kiln.

The plant moves sheets, so a powder lot is counted in **sheet-equivalents**: one sheet-equivalent is the
powder one sheet's layer takes at its forming step (the cast web area per sheet, or the sprayed deposit
over the transfer efficiency), plus the powder lost in handling. The station is a batch kiln whose
``batch_capacity_sheets`` is the load in sheet-equivalents; the load's kilograms (what the charge heat and
the mill's energy scale with) follow from it. Each sheet-equivalent carries its powder's state (garnet
fraction, Li over nominal, particle size) downstream, so the sintering of that sheet's layer fires the
powder its own lot made (twin.sheet_firing).
"""

from __future__ import annotations

import numpy as np

from process_models import densification, grain_growth, li_loss, powder_routes, powder_synthesis
from twin.capacity import recipe_profile, recipe_segments
from twin.cost.materials import layer_solid_density_kg_per_m3, material_price, web_area_per_sheet_m2
from twin.operations.base import UnitOperation
from twin.scenario.route import Calcination, SprayDeposition, TapeCasting
from twin.sheet_layers import electrolyte_material

# Li2O leakage out of a lidded crucible: the closed-setter factor of the sintering step
# (twin.sheet_firing.COVER_LEAKAGE_FRACTION[(False, True)] = 0.4, an assumption there too)
COVERED_CRUCIBLE_LEAKAGE = 0.4
# Mean heat capacity of the oxide/carbonate charge (assumption: La2O3 ~0.4, ZrO2 ~0.45, Li2CO3 ~1.3 kJ/kg K
# at room temperature, rising towards ~0.7 kJ/kg K mean for the mix to 900 C; NIST-JANAF order of magnitude)
CHARGE_HEAT_CAPACITY_J_PER_KG_K = 700.0


def calcination_profile(step):
    """The kiln profile of a calcination (or any step with ``start_temperature_C`` and ``profile``)."""
    return recipe_profile(step.start_temperature_C, recipe_segments(step))


def powder_kg_per_sheet_equivalent(scenario, index: int, layer: str, handling_loss_fraction: float) -> float:
    """Powder one sheet-equivalent of a lot holds [kg]: what the layer's forming step after ``index`` takes.

    Tape casting takes the cast web area per sheet (edge strips included), spraying the deposit over the
    transfer efficiency; without a forming step after it, the design thickness of the layer. Divided by
    (1 - handling loss): powder lost in crushing, sieving and transfer is made but never cast.
    """
    from twin.operations import operation_for  # the registry imports this module: import it on use

    density = layer_solid_density_kg_per_m3(scenario, layer)
    kg = None
    for step in scenario.route[index + 1:]:
        per_m2 = operation_for(step).deposited_powder_kg_per_m2(step, layer, density)
        if per_m2 is None:
            continue
        if isinstance(step, TapeCasting):
            kg = per_m2 * web_area_per_sheet_m2(scenario, step.name)
        elif isinstance(step, SprayDeposition):
            kg = per_m2 * scenario.sheet_area_m2 / step.transfer_efficiency
        else:
            kg = per_m2 * scenario.sheet_area_m2
        break
    if kg is None:
        thickness_um = (scenario.cell.electrolyte.thickness_um if layer == "electrolyte"
                        else scenario.cell.cathode.thickness_um)
        kg = thickness_um * 1e-6 * density * scenario.sheet_area_m2
    return kg / (1.0 - handling_loss_fraction)


def layer_material_name(scenario, layer: str) -> str:
    """The material a layer's powder is priced under (twin.cost.materials.layer_deposit_items)."""
    return scenario.cell.electrolyte.material if layer == "electrolyte" else scenario.cell.cathode.material


def powder_made_before(scenario, layer: str, index: int) -> bool:
    """Whether a step making ``layer``'s powder (calcination, argyrodite milling) runs before route step ``index``
    (its forming then buys no powder)."""
    from twin.operations import operation_for  # the registry imports this module: import it on use

    return any(operation_for(step).powder_made_for(step) == layer for step in scenario.route[:index])


class CalcinationOperation(UnitOperation):
    kind = "calcination"
    step_class = Calcination

    def powder_made_for(self, step):
        return step.layer

    def variation_draws(self, scenario, step):
        # each sheet-equivalent's powder sits somewhere in the kiln load: its temperature scatters by the
        # furnace's per-sheet spread (the lot-level set-point error is not drawn: not a firing unit)
        return [("temperature_offset_K", 0.0, scenario.variation.furnace_sheet_sd_K, None, None)], []

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        material = electrolyte_material(scenario)
        profile = calcination_profile(step)
        offset = conditions["temperature_offset_K"][idx]
        garnet = powder_synthesis.garnet_conversion_fraction(profile, offset)
        leakage = COVERED_CRUCIBLE_LEAKAGE if step.covered_crucible else 1.0
        lost = li_loss.li_loss_per_formula_unit(profile, step.powder_bed_depth_mm * 1e-3, 1, leakage, material,
                                                temperature_offset_K=offset)
        added = li_loss.li_excess_pfu_from_li2co3_excess_weight_fraction(step.li2co3_excess_wt_fraction,
                                                                         nominal_li_pfu=material["nominal_li_pfu"])
        # the calcined cake coarsens on the calcined route's curve (grain-growth law of the sintered garnet,
        # applied to the powder's crystallites: assumption, no calcination coarsening data)
        curve = powder_routes.route_material(material, "calcined")
        log_work = densification.log_work_of_sintering(profile, curve["msc_activation_energy_J_per_mol"], offset)
        size = grain_growth.grain_size_after_firing_m(log_work, step.precursor_particle_size_um * 1e-6, curve)
        state["electrolyte_powder_garnet_fraction"][idx] = garnet
        state["electrolyte_powder_li_excess_pfu"][idx] = added - lost
        state["electrolyte_powder_particle_size_m"][idx] = size
        positions = np.arange(batch.n)[idx]
        batch.scrap_sheets(positions[np.asarray(garnet) < step.min_garnet_fraction], step_index,
                           "incomplete_calcination")
        return True

    def batch_process(self, scenario, index, step, station):
        profile = calcination_profile(step)
        process_s = profile.duration_s
        if station.furnace is None:  # metered kiln power
            return process_s, station.power_kW * process_s / 3600.0
        from process_models.furnace_energy import furnace_energy_J

        furnace = station.furnace
        kiln_J = furnace_energy_J(profile, furnace.thermal_mass_kJ_per_K * 1e3, furnace.heat_loss_kW_at_1000C * 1e3,
                                  furnace.heating_efficiency)
        load_kg = station.batch_capacity_sheets * powder_kg_per_sheet_equivalent(
            scenario, index, step.layer, step.powder_handling_loss_fraction)
        material = electrolyte_material(scenario)
        li2co3 = powder_synthesis.precursor_kg_per_kg_garnet(
            material["nominal_li_pfu"], material["molar_mass_kg_per_mol"], step.li2co3_excess_wt_fraction)["li2co3_kg"]
        peak_K = max(segment.temperature_C for segment in step.profile) + 273.15
        charge_J = load_kg * powder_synthesis.charge_heat_J_per_kg(peak_K, li2co3, CHARGE_HEAT_CAPACITY_J_PER_KG_K)
        return process_s, (float(kiln_J) + float(charge_J) / furnace.heating_efficiency) / 3.6e6

    def material_items_per_sheet(self, scenario, index, step_name, step):
        material = electrolyte_material(scenario)
        garnet_kg = powder_kg_per_sheet_equivalent(scenario, index, step.layer, step.powder_handling_loss_fraction)
        precursors = powder_synthesis.precursor_kg_per_kg_garnet(
            material["nominal_li_pfu"], material["molar_mass_kg_per_mol"], step.li2co3_excess_wt_fraction)
        return {
            "li2co3": garnet_kg * float(precursors["li2co3_kg"]) * material_price(scenario, "li2co3", step_name),
            "garnet_oxide_precursors": garnet_kg * float(precursors["oxides_kg"])
            * material_price(scenario, "garnet_oxide_precursors", step_name),
        }


OPERATION = CalcinationOperation()
