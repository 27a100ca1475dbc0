"""Polymer film: a PEO-LiTFSI electrolyte solvent cast or melt extruded onto the cathode (roadmap §10, §14.2.1).

The film is dense (no porosity to sinter away); its conductivity is the VTF law of the polymer rated at the
cell's operating temperature, the ``cycling_temperature_C`` of the route's stacking step (25 C without
one): a PEO cell is run warm (60-80 C) because the polymer conducts ~30x less at room temperature.
"""

from __future__ import annotations

import numpy as np

from process_models.conductivity import area_specific_resistance_ohm_m2
from process_models.parameters import load_material
from process_models.polymer_electrolyte import (
    arrhenius_conductivity_S_per_m,
    bruggeman_conductivity_S_per_m,
    solvent_per_film_kg_per_m2,
    vtf_conductivity_S_per_m,
)
from twin.cost.materials import layer_solid_density_kg_per_m3, material_price, web_area_per_sheet_m2
from twin.material_needs import ELECTROLYTE_DENSITY_KEYS, ELECTROLYTE_FIELD, MaterialNeed
from twin.operations.base import UnitOperation
from twin.scenario.route import PolymerFilm
from twin.sheet_layers import electrolyte_material

# what process_models.polymer_electrolyte.vtf_conductivity_S_per_m reads
POLYMER_CONDUCTIVITY_KEYS = ("dense_conductivity_S_per_m", "conductivity_reference_temperature_K",
                             "vtf_pseudo_activation_K", "vtf_ideal_glass_temperature_K", "melting_temperature_K",
                             "crystalline_fraction_below_melting", "porosity_exponent")
# what process_models.polymer_electrolyte.arrhenius_conductivity_S_per_m reads, and the filler's mass
FILLER_KEYS = ("theoretical_density_kg_per_m3", "dense_conductivity_S_per_m", "conductivity_reference_temperature_K",
               "conductivity_activation_energy_J_per_mol")
ROOM_TEMPERATURE_C = 25.0


def operating_temperature_C(scenario) -> float:
    """The cell's operating temperature: the stacking step's cycling temperature, else room temperature."""
    return next((step.cycling_temperature_C for step in scenario.route if step.kind == "stacking"),
                ROOM_TEMPERATURE_C)


def film_conductivity_S_per_m(scenario, step) -> float:
    """The film at the operating temperature; with a ceramic filler the Bruggeman mixture of the two phases
    (an upper bound: the polymer/ceramic interface resistance is not modelled)."""
    temperature_K = operating_temperature_C(scenario) + 273.15
    polymer = float(vtf_conductivity_S_per_m(temperature_K, electrolyte_material(scenario)))
    if step.ceramic_filler == "none":
        return polymer
    filler = float(arrhenius_conductivity_S_per_m(temperature_K, load_material(step.ceramic_filler)))
    return float(bruggeman_conductivity_S_per_m(filler, polymer, step.filler_volume_fraction))


class PolymerFilmOperation(UnitOperation):
    kind = "polymer_film"
    step_class = PolymerFilm

    def variation_draws(self, scenario, step):
        # a coated or extruded film scatters in thickness like a cast tape
        return [("thickness_factor", 1.0, max(scenario.variation.tape_thickness_cv, 0.0), 0.05, None)], []

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        thickness = step.target_thickness_um * 1e-6 * conditions["thickness_factor"][idx]
        sigma = film_conductivity_S_per_m(scenario, step)
        state["electrolyte_thickness_m"][idx] = thickness
        state["electrolyte_green_relative_density"][idx] = 1.0
        state["relative_density"][idx] = 1.0  # a cast or extruded polymer film is dense
        state["ionic_conductivity_S_per_m"][idx] = sigma
        state["electrolyte_asr_ohm_m2"][idx] = area_specific_resistance_ohm_m2(thickness, np.float64(sigma))
        return True

    def material_needs(self, scenario, step):
        needs = [MaterialNeed(ELECTROLYTE_FIELD, scenario.cell.electrolyte.material,
                              ELECTROLYTE_DENSITY_KEYS + POLYMER_CONDUCTIVITY_KEYS,
                              "the polymer film's mass and its temperature-dependent (VTF) conductivity")]
        if step.ceramic_filler != "none":
            needs.append(MaterialNeed("ceramic_filler", step.ceramic_filler, FILLER_KEYS,
                                      "the filler's mass and conductivity", choices=("lagp",)))
        return needs

    def deposited_layer(self, step):
        return "electrolyte"

    def deposited_powder_kg_per_m2(self, step, layer, solid_density_kg_per_m3):
        return step.target_thickness_um * 1e-6 * solid_density_kg_per_m3 if layer == "electrolyte" else None

    def material_items_per_sheet(self, scenario, index, step_name, step):
        # per m2 of web: the edge strip between lanes is coated too
        density = layer_solid_density_kg_per_m3(scenario, "electrolyte")
        area_m2 = web_area_per_sheet_m2(scenario, step_name)
        name = scenario.cell.electrolyte.material
        film_m3 = step.target_thickness_um * 1e-6 * area_m2
        filler = step.filler_volume_fraction
        items = {name: film_m3 * (1.0 - filler) * density * material_price(scenario, name, step_name)}
        solids_kg = film_m3 * (1.0 - filler) * density
        if step.ceramic_filler != "none":
            filler_kg = film_m3 * filler * load_material(step.ceramic_filler)["theoretical_density_kg_per_m3"]
            items[step.ceramic_filler] = filler_kg * material_price(scenario, step.ceramic_filler, step_name)
            solids_kg += filler_kg
        if step.method == "solvent_cast":
            # the casting solution's solids are the polymer, its salt and any filler
            solids_density = density if step.ceramic_filler == "none" else solids_kg / film_m3
            solvent_kg = float(solvent_per_film_kg_per_m2(step.target_thickness_um * 1e-6, solids_density,
                                                          step.solution_solids_mass_fraction)) * area_m2
            lost_kg = solvent_kg * (1.0 - scenario.costs.materials.solvent_recovery_fraction)
            if lost_kg > 0:
                items["solvent"] = lost_kg * material_price(scenario, "solvent", step_name)
        return items

    def continuous_speed_m_per_s(self, scenario, index, step, station):
        return step.line_speed_m_per_min / 60.0


OPERATION = PolymerFilmOperation()
