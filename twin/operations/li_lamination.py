"""Li lamination: Li foil rolled or pressed onto the electrolyte, or Li evaporated onto it."""

from __future__ import annotations

import numpy as np

from process_models import interlayers, lamination, vacuum_deposition
from process_models.atmosphere_exposure import (
    CARBONATED_GARNET_INTERFACE_ASR_OHM_M2,
    carbonate_fraction,
    carbonated_interface_asr_ohm_m2,
)
from process_models.constants import LI_METAL_DENSITY_KG_PER_M3
from process_models.lamination import li_evaporation_rate_m_per_s
from process_models.parameters import load_material
from twin.cost.materials import li_foil_usd_per_kg, material_price
from twin.operations.base import UnitOperation
from twin.operations.interlayer_deposition import interlayer_before
from twin.scenario.route import LiLamination
from twin.sheet_layers import electrolyte_material, filled

# Full-contact Li/garnet interface ASR by surface state [ohm m^2]:
# Li2CO3-covered garnet ~1710 ohm cm2 and ALD-Al2O3 interlayer ~1 ohm cm2 (Han et al., Nat. Mater. 16, 2017
# [R]); cleaned surface ~2 ohm cm2 (Sharafi et al., Chem. Mater. 2017 [R]; the li_metal parameter set).
# "interlayer" is the fixed value of a layer not modelled as a step; a route with an interlayer_deposition
# step before the lamination takes the ASR from that layer's material and thickness instead.
INTERFACE_ASR_FULL_CONTACT_OHM_M2 = {"none": 1710e-4, "interlayer": 1.0e-4}


def _interlayer_full_contact_ohm_m2(interlayer, bare_asr_ohm_m2):
    """Full-contact ASR through a deposited interlayer on a surface of ASR ``bare_asr_ohm_m2`` [ohm m^2]."""
    return interlayers.interlayer_interface_asr_ohm_m2(interlayer.thickness_nm * 1e-9, interlayer.material,
                                                       bare_asr_ohm_m2)

LI_METAL = "li_metal"


class LiLaminationOperation(UnitOperation):
    kind = "li_lamination"
    step_class = LiLamination
    recipe_fields = ("lamination_pressure_MPa", "lamination_temperature_C")

    def accepts_recipe_field(self, step, field):
        return field in self.recipe_fields and step.method == "foil"  # evaporation has no nip

    def set_recipe_field(self, data, field, value):
        data["pressure_MPa" if field == "lamination_pressure_MPa" else "temperature_C"] = value

    def variation_draws(self, scenario, step):
        variation = scenario.variation
        return [("pressure_factor", 1.0, max(variation.lamination_pressure_cv, 0.0), 0.05, None),
                ("log_interface_asr_factor", 0.0, variation.interface_asr_cv, None, None)], []

    def finish_sheet_draws(self, values):
        log_factor = values.pop("log_interface_asr_factor")
        values["interface_asr_factor"] = np.exp(log_factor, out=log_factor)

    def state_free_fields(self, step):
        # the Li/electrolyte interface from its own pressure and surface draws
        return ("interface_asr_ohm_m2",)

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        li = load_material(LI_METAL)
        full_contact = INTERFACE_ASR_FULL_CONTACT_OHM_M2.get(step.surface_treatment,
                                                             li["interface_asr_full_contact_ohm_m2"])
        electrolyte = electrolyte_material(scenario)
        if electrolyte.kind == "glass":  # Li on a thin-film electrolyte (LiPON): its own interface value
            full_contact = electrolyte["li_interface_asr_ohm_m2"]
        interlayer = interlayer_before(scenario, step_index)
        if interlayer is not None:
            # the uncovered share of the surface keeps its own ASR: air-exposed ("none") or clean ("cleaned",
            # its carbonate from the exposure is added in garnet_surface_effects)
            bare = (CARBONATED_GARNET_INTERFACE_ASR_OHM_M2 if step.surface_treatment == "none"
                    else li["interface_asr_full_contact_ohm_m2"])
            full_contact = float(_interlayer_full_contact_ohm_m2(interlayer, bare))
        pressure_Pa = None
        if step.method == "evaporation":
            contact = np.ones(state["interface_asr_ohm_m2"][idx].size)  # vapour-deposited Li conforms to the surface
        else:
            station = scenario.line.stations[step.name]
            if station.kind == "continuous":
                dwell_s = lamination.nip_dwell_time_s(step.nip_contact_length_mm * 1e-3,
                                                      station.line_speed_m_per_min / 60.0)
            else:
                dwell_s = station.cycle_time_s
            pressure_Pa = step.pressure_MPa * 1e6 * conditions["pressure_factor"][idx]
            contact = lamination.li_contact_fraction(pressure_Pa, step.temperature_C + 273.15, dwell_s, li)
        asr = lamination.li_interface_asr_ohm_m2(contact, li, full_contact_asr_ohm_m2=full_contact,
                                                 pressure_Pa=pressure_Pa)
        state["interface_asr_ohm_m2"][idx] = asr * conditions["interface_asr_factor"][idx]
        return True

    adds_li_metal = True

    def material_items_per_sheet(self, scenario, index, step_name, step):
        materials = scenario.costs.materials
        li_kg = scenario.cell.anode.thickness_um * 1e-6 * scenario.sheet_area_m2 * LI_METAL_DENSITY_KG_PER_M3
        if step.method == "foil":
            return {"li_foil": li_kg * li_foil_usd_per_kg(scenario, scenario.cell.anode.thickness_um)}
        # only geometry_factor of the evaporated Li lands on the web; the rest coats the chamber
        price = materials.li_evaporation_source_usd_per_kg
        if price is None:
            price = material_price(scenario, "li_metal", step_name)
        return {"li_evaporation_source": li_kg / step.geometry_factor * price}

    def garnet_surface_effects(self, scenario, step, state, idx):
        if electrolyte_material(scenario).kind != "garnet":
            return
        dose = state["moisture_dose_Pa_s"][idx]
        if np.isnan(dose).all():
            return  # no exposure booked (no clock): the surface as laminated
        carbonate = carbonate_fraction(filled(dose, 0.0))
        state["surface_carbonate_fraction"][idx] = carbonate  # what the Li covers
        if step.surface_treatment != "cleaned":
            return
        clean = load_material(LI_METAL)["interface_asr_full_contact_ohm_m2"]
        carbonated = carbonated_interface_asr_ohm_m2(carbonate, clean_asr_ohm_m2=clean)
        interlayer = interlayer_before(scenario, self._route_index(scenario, step))
        if interlayer is not None:  # only the share the interlayer leaves bare carries the carbonate
            carbonated = _interlayer_full_contact_ohm_m2(interlayer, carbonated)
            clean = _interlayer_full_contact_ohm_m2(interlayer, clean)
        # the interface ASR scales with its full-contact value (process_models.lamination)
        state["interface_asr_ohm_m2"][idx] *= carbonated / clean

    @staticmethod
    def _route_index(scenario, step) -> int:
        # the step object itself, or (an optimiser candidate's recipe) the route step of its name
        for index, route_step in enumerate(scenario.route):
            if route_step is step or route_step.name == step.name:
                return index
        return len(scenario.route)

    def batch_process(self, scenario, index, step, station):
        # a vacuum chamber evaporates Li onto its whole load of substrates at once (thin-film cells)
        if step.method != "evaporation":
            raise ValueError(f"route[{index}]: a batch station cannot laminate Li foil; use method 'evaporation'")
        rate = float(li_evaporation_rate_m_per_s(step.source_temperature_C + 273.15, step.geometry_factor))
        deposition_s = scenario.cell.anode.thickness_um * 1e-6 / rate
        vacuum = station.vacuum
        if vacuum is None:
            return deposition_s, station.power_kW * deposition_s / 3600.0
        cycle_s = float(vacuum_deposition.batch_chamber_cycle_s(vacuum.pump_down_min * 60.0, deposition_s,
                                                                vacuum.vent_min * 60.0, vacuum.load_lock_min * 60.0))
        return cycle_s, float(vacuum_deposition.vacuum_energy_kWh(vacuum.pump_power_kW, cycle_s,
                                                                  vacuum.evaporation_source_kW, deposition_s))

    def run_power_kW(self, scenario, index, step, station):
        # a web evaporator with a vacuum block: its pumps and sources run all the time it runs
        if station.vacuum is None:
            return None
        return station.vacuum.pump_power_kW + station.vacuum.evaporation_source_kW

    def continuous_speed_m_per_s(self, scenario, index, step, station):
        if step.method != "evaporation":
            return None
        rate = float(li_evaporation_rate_m_per_s(step.source_temperature_C + 273.15, step.geometry_factor))
        residence_s = scenario.cell.anode.thickness_um * 1e-6 / rate
        return station.deposition_zone_length_m / residence_s


OPERATION = LiLaminationOperation()
