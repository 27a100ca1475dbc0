"""What each use of a cell material needs from its parameter file, so validation can refuse a material a
step cannot use (naming the missing properties) instead of evaluate failing on a missing parameter.

A need is (scenario field, material name, SI parameter keys, what the step does with them). The operations
return their needs (``UnitOperation.material_needs``); the cell itself needs the densities its mass uses
(``twin.cell_output``). :func:`twin.scenario.material_check.material_problems` turns unmet needs into
problems at validation.
"""

from __future__ import annotations

from typing import NamedTuple

ELECTROLYTE_FIELD = "cell.electrolyte.material"
CATHODE_FIELD = "cell.cathode.material"

# twin.sheet_layers.update_electrolyte_transport -> process_models.conductivity
ELECTROLYTE_TRANSPORT_KEYS = ("dense_conductivity_S_per_m", "percolation_relative_density", "porosity_exponent")
# twin.cost.materials.layer_solid_density_kg_per_m3 and twin.cell_output (cell mass)
ELECTROLYTE_DENSITY_KEYS = ("theoretical_density_kg_per_m3",)
# twin.sheet_layers.update_capacity, twin.cost.materials (the composite's solid density)
CATHODE_KEYS = ("active_density_kg_per_m3", "electrolyte_density_kg_per_m3", "specific_capacity_mAh_per_g")
# twin.sheet_firing: the master sintering curve (and the particle-size shift) of the fired powder
MASTER_CURVE_KEYS = ("msc_activation_energy_J_per_mol", "msc_log_theta_half", "msc_log_theta_width",
                     "msc_final_relative_density", "msc_reference_particle_size_m", "herring_exponent")
# twin.sheet_firing on a garnet electrolyte: Li2O loss, the phases it leaves, grain growth
GARNET_FIRING_KEYS = ("theoretical_density_kg_per_m3", "molar_mass_kg_per_mol", "li2o_vaporisation_enthalpy_J_per_mol",
                      "li2o_vapour_pressure_prefactor_Pa", "li2o_evaporation_coefficient", "pyrochlore_onset_li_pfu",
                      "tetragonal_onset_li_pfu", "tetragonal_complete_li_pfu", "grain_growth_exponent",
                      "grain_growth_log_rate_constant", "grain_boundary_specific_resistance_ohm_m2",
                      "conductivity_reference_grain_size_m")
# process_models.pressure_sintering (hot press, SPS, HIP)
PRESSURE_SINTERING_KEYS = ("pressure_sintering_activation_energy_J_per_mol", "pressure_sintering_log_rate_constant",
                           "pressure_sintering_stress_exponent", "surface_energy_J_per_m2")
# process_models.cell_metrics.critical_current_density_A_per_m2 (rated at stacking)
CCD_KEYS = ("ccd_zero_pressure_A_per_m2", "ccd_interface_asr_scale_ohm_m2", "ccd_activation_energy_J_per_mol",
            "ccd_reference_temperature_K", "ccd_pressure_scale_Pa", "ccd_pressure_exponent",
            "percolation_relative_density", "ccd_microstructure_exponent")


class MaterialNeed(NamedTuple):
    field: str                 # the scenario field that names the material
    material: str              # its name (process_models.parameters)
    keys: tuple[str, ...]      # SI parameter keys the use reads
    purpose: str               # what the step does with them, in the engineer's words
    choices: tuple[str, ...] = ()  # materials the field allows, if not a cell material field


def layer_field(layer: str) -> str:
    return ELECTROLYTE_FIELD if layer == "electrolyte" else CATHODE_FIELD


def layer_material_name(scenario, layer: str) -> str:
    return scenario.cell.electrolyte.material if layer == "electrolyte" else scenario.cell.cathode.material


def deposit_needs(scenario, layer: str, purpose: str) -> list[MaterialNeed]:
    """A step that lays down ``layer``: its solid density (powder bought) and what the layer's state feeds."""
    if layer == "electrolyte":
        return [MaterialNeed(ELECTROLYTE_FIELD, scenario.cell.electrolyte.material,
                             ELECTROLYTE_DENSITY_KEYS + ELECTROLYTE_TRANSPORT_KEYS, purpose)]
    return [MaterialNeed(CATHODE_FIELD, scenario.cell.cathode.material, CATHODE_KEYS, purpose)]


def cell_needs(scenario) -> list[MaterialNeed]:
    """What the finished cell's mass, energy and capacity read whatever the route."""
    return [MaterialNeed(ELECTROLYTE_FIELD, scenario.cell.electrolyte.material, ELECTROLYTE_DENSITY_KEYS,
                         "the cell's mass (Wh/kg)"),
            MaterialNeed(CATHODE_FIELD, scenario.cell.cathode.material, CATHODE_KEYS,
                         "the cell's capacity and mass")]


__all__ = ["CCD_KEYS", "CATHODE_FIELD", "ELECTROLYTE_FIELD", "MaterialNeed", "cell_needs", "deposit_needs",
           "layer_field", "layer_material_name"]
