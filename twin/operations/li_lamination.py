"""Li lamination: Li foil rolled or pressed onto the electrolyte, Li evaporated onto it, or Li melted onto it.

Molten Li (under argon) takes its contact from its wetting of the surface it meets (process_models.molten_li):
the carbonate left under the melt after the contact time at the melt temperature, the share an interlayer
covers, Cassie's contact angle and the Young-Dupre contact fraction; the ASR is the surface's full-contact
ASR over that fraction.
"""

from __future__ import annotations

import numpy as np

from process_models import interlayers, lamination, molten_li, porous_scaffold, vacuum_deposition
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
from twin.scenario.machine_sizes import installed_station
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
# initial carbonate share of the surface the melt meets, by surface treatment: an air-exposed garnet is
# fully covered ("none"); a cleaned one carries what it regrew since (added from its exposure dose)
MOLTEN_INITIAL_CARBONATE = {"none": 1.0, "cleaned": 0.0}


def molten_interface_asr_ohm_m2(step, interlayer, carbonate_before):
    """Interface ASR of molten Li on a garnet whose bare surface carries ``carbonate_before`` [ohm m^2].

    The melt reduces the carbonate over its contact time; Cassie's angle over the coated, carbonated and clean
    shares gives the contact fraction; the full-contact ASR is the carbonated (and coated) surface's.
    """
    full_contact, angle = _molten_wetting(step, interlayer, carbonate_before)
    return full_contact / molten_li.wetted_contact_fraction(angle)


def _molten_wetting(step, interlayer, carbonate_before):
    """(full-contact ASR [ohm m^2], contact angle [deg]) of the melt on the surface it meets."""
    clean = load_material(LI_METAL)["interface_asr_full_contact_ohm_m2"]
    left = molten_li.carbonate_left_fraction(carbonate_before, step.melt_temperature_C + 273.15,
                                             step.contact_time_s)
    full_contact = carbonated_interface_asr_ohm_m2(left, clean_asr_ohm_m2=clean)
    coated = 0.0
    if interlayer is not None:
        coated = interlayers.interlayer_coverage(interlayer.thickness_nm * 1e-9, interlayer.material)
        full_contact = _interlayer_full_contact_ohm_m2(interlayer, full_contact)
    return full_contact, molten_li.molten_li_contact_angle_deg(left, coated)


def scaffold_area_factor(step, interlayer, carbonate_before, state, idx):
    """Interface area per geometric area of the sheets' Li-filled scaffold, or None without a scaffold.

    The melt fills the pores only if it wets their walls (an ALD interlayer coats them conformally; the pore
    walls carry the carbonate of the surface treatment: assumption), and then spreads the interface over them.
    """
    porosity = state["scaffold_porosity"][idx]
    if np.isnan(porosity).all():
        return None
    _, angle = _molten_wetting(step, interlayer, carbonate_before)
    filled = porous_scaffold.melt_fills_pores(angle)
    return porous_scaffold.internal_area_factor(np.nan_to_num(porosity), np.nan_to_num(
        state["scaffold_pore_size_m"][idx], nan=1.0), np.nan_to_num(state["scaffold_thickness_m"][idx]), filled)


def _dwell_time_s(scenario, step) -> float:
    """Time a sheet spends under the laminator's pressure: the nip dwell at the installed line speed, or a
    press's cycle. A scenario constant, kept per (scenario, step) object: every lamination lot asks."""
    key = (id(scenario), id(step))
    entry = _DWELL_BY_STEP.get(key)
    if entry is not None and entry[0] is scenario and entry[1] is step:
        return entry[2]
    station = installed_station(scenario, step.name)   # the installed line speed sets the nip dwell
    if station.kind == "continuous":
        dwell_s = lamination.nip_dwell_time_s(step.nip_contact_length_mm * 1e-3, station.line_speed_m_per_min / 60.0)
    else:
        dwell_s = station.cycle_time_s
    if len(_DWELL_BY_STEP) >= 256:
        _DWELL_BY_STEP.clear()
    _DWELL_BY_STEP[key] = (scenario, step, dwell_s)   # the stored objects keep their ids from being reused
    return dwell_s


_DWELL_BY_STEP: dict[tuple[int, int], tuple] = {}


def _interlayer_at(scenario, step):
    """The interlayer deposited before this lamination step (``interlayer_before`` at the step's place in the
    route), kept per (scenario, step) object: every lamination lot asked, walking the route twice."""
    key = (id(scenario), id(step))
    entry = _INTERLAYER_BY_STEP.get(key)
    if entry is not None and entry[0] is scenario and entry[1] is step:
        return entry[2]
    interlayer = interlayer_before(scenario, LiLaminationOperation._route_index(scenario, step))
    if len(_INTERLAYER_BY_STEP) >= 256:
        _INTERLAYER_BY_STEP.clear()
    _INTERLAYER_BY_STEP[key] = (scenario, step, interlayer)   # the stored objects keep their ids from being reused
    return interlayer


_INTERLAYER_BY_STEP: dict[tuple[int, int], tuple] = {}


class LiLaminationOperation(UnitOperation):
    kind = "li_lamination"
    step_class = LiLamination
    recipe_fields = ("lamination_pressure_MPa", "lamination_temperature_C")

    def accepts_recipe_field(self, step, field):
        return field in self.recipe_fields and step.method == "foil"  # evaporation and a melt have no nip

    def set_recipe_field(self, data, field, value):
        data["pressure_MPa" if field == "lamination_pressure_MPa" else "temperature_C"] = value

    def variation_draws(self, scenario, step):
        variation = scenario.variation
        # (a melt has no nip pressure, but the draw keeps the random-stream order of every method)
        return [("pressure_factor", 1.0, max(variation.lamination_pressure_cv, 0.0), 0.05, None),
                ("log_interface_asr_factor", 0.0, variation.interface_asr_cv, None, None)], []

    def finish_sheet_draws(self, values):
        log_factor = values.pop("log_interface_asr_factor")
        values["interface_asr_factor"] = np.exp(log_factor, out=log_factor)

    def state_free_fields(self, step):
        # the Li/electrolyte interface from its own pressure and surface draws; a melt also reads the sheet's
        # scaffold (co_sintering.porous_layer), so the plant cannot compute it ahead
        return () if step.method == "molten" else ("interface_asr_ohm_m2",)

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
        if step.method == "molten":
            carbonate = MOLTEN_INITIAL_CARBONATE[step.surface_treatment]
            asr = molten_interface_asr_ohm_m2(step, interlayer, carbonate)
            area = scaffold_area_factor(step, interlayer, carbonate, state, idx)
            if area is not None:  # a Li-filled scaffold: the same current over more interface
                state["li_interface_area_factor"][idx] = area
                asr = asr / area
            state["interface_asr_ohm_m2"][idx] = asr * conditions["interface_asr_factor"][idx]
            return True
        if step.method == "evaporation":
            contact = np.ones(state["interface_asr_ohm_m2"][idx].size)  # vapour-deposited Li conforms to the surface
        else:
            dwell_s = _dwell_time_s(scenario, step)
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
        if step.method == "molten":  # Li ingot, not rolled foil; the dross and tooling losses are bought too
            return {"li_metal": li_kg / (1.0 - step.melt_loss_fraction)
                    * material_price(scenario, "li_metal", step_name)}
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
        interlayer = _interlayer_at(scenario, step)
        if step.method == "molten":  # the melt meets the regrown carbonate: its wetting changes with it
            state["interface_asr_ohm_m2"][idx] *= (molten_interface_asr_ohm_m2(step, interlayer, carbonate)
                                                   / molten_interface_asr_ohm_m2(step, interlayer, 0.0))
            return
        clean = load_material(LI_METAL)["interface_asr_full_contact_ohm_m2"]
        carbonated = carbonated_interface_asr_ohm_m2(carbonate, clean_asr_ohm_m2=clean)
        if interlayer is not None:  # only the share the interlayer leaves bare carries the carbonate
            carbonated = _interlayer_full_contact_ohm_m2(interlayer, carbonated)
            clean = _interlayer_full_contact_ohm_m2(interlayer, clean)
        # the interface ASR scales with its full-contact value (process_models.lamination)
        if isinstance(carbonated, np.ndarray) and carbonated.ndim:
            carbonated /= clean   # a fresh per-sheet array: divided in place
            state["interface_asr_ohm_m2"][idx] *= carbonated
        else:
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
        if step.method == "molten":  # a point of the web stays the contact time in the heated melt zone
            return station.deposition_zone_length_m / step.contact_time_s
        if step.method != "evaporation":
            return None
        rate = float(li_evaporation_rate_m_per_s(step.source_temperature_C + 273.15, step.geometry_factor))
        residence_s = scenario.cell.anode.thickness_um * 1e-6 / rate
        return station.deposition_zone_length_m / residence_s


    def discrete_process_s(self, scenario, step, station):
        if step.method != "molten":
            return None
        return max(step.contact_time_s, station.cycle_time_s or 0.0)  # the melt sits its contact time


OPERATION = LiLaminationOperation()
