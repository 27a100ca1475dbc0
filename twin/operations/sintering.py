"""Sintering: a firing densifies a layer on the garnet master curve (twin.sheet_firing holds the physics)."""

from __future__ import annotations

import functools

import numpy as np

from process_models.atmosphere_exposure import CARBONATE_DECOMPOSITION_K
from process_models.furnace_energy import furnace_energy_J
from twin.capacity import sintering_profile
from twin.cost.materials import layer_powder_kg_per_sheet, material_price
from twin.firing_interruption import FIRING_INTERRUPTIONS, interruption_policy
from twin.material_needs import (
    CATHODE_FIELD,
    CATHODE_KEYS,
    ELECTROLYTE_FIELD,
    ELECTROLYTE_TRANSPORT_KEYS,
    GARNET_FIRING_KEYS,
    MASTER_CURVE_KEYS,
    PRESSURE_SINTERING_KEYS,
    MaterialNeed,
)
from twin.operations.base import UnitOperation
from twin.scenario.route import PRESSURE_MODES, Sintering
from twin.sheet_firing import apply_sintering, loads_fire_alike
from twin.sheet_layers import electrolyte_material


@functools.lru_cache(maxsize=1024)
def _firing_energy_J(profile, thermal_mass_J_per_K: float, heat_loss_W: float, efficiency: float) -> float:
    # a pure function of the (frozen, hashable) profile and three numbers: the optimiser asks it for the
    # same recipe once per candidate and figure (tens of thousands of times)
    return float(furnace_energy_J(profile, thermal_mass_J_per_K, heat_loss_W, efficiency))


def _decomposes_carbonate(step: Sintering) -> bool:
    """Whether the recipe's peak reaches the surface carbonate's decomposition (kept per step object: every
    kiln load asks)."""
    entry = _DECOMPOSES_BY_STEP.get(id(step))
    if entry is not None and entry[0] is step:
        return entry[1]
    peak_C = max([step.start_temperature_C] + [segment.temperature_C for segment in step.profile])
    decomposes = peak_C + 273.15 >= CARBONATE_DECOMPOSITION_K
    if len(_DECOMPOSES_BY_STEP) >= 1024:
        _DECOMPOSES_BY_STEP.clear()
    _DECOMPOSES_BY_STEP[id(step)] = (step, decomposes)   # the stored step keeps the id from being reused
    return decomposes


_DECOMPOSES_BY_STEP: dict[int, tuple] = {}


class SinteringOperation(UnitOperation):
    kind = "sintering"
    step_class = Sintering
    is_firing = True
    recipe_fields = ("sintering_peak_temperature_C", "sintering_hold_time_min", "li_excess_li2co3_wt_fraction",
                     "cover_powder")

    def variation_draws(self, scenario, step):
        variation = scenario.variation
        sheet = [("sheet_offset_K", 0.0, variation.furnace_sheet_sd_K, None, None),
                 ("particle_size_factor", 1.0, max(variation.particle_size_cv, 0.0), 0.05, None)]
        if step.layer == "electrolyte":  # only the garnet electrolyte's Li balance uses it
            sheet.append(("li_excess_li2co3_wt_fraction", step.li_excess_li2co3_wt_fraction,
                          variation.li_excess_sd_wt_fraction, 0.0, 0.5))
        unit = [("setpoint_K", 0.0, variation.furnace_setpoint_sd_K, None, None),
                ("hold_time_factor", 1.0, max(variation.hold_time_cv, 0.0), 0.05, None)]
        return sheet, unit

    def load_spread_K(self, scenario, step):
        return scenario.variation.furnace_load_spread_K

    def assemble_unit_draws(self, sheet_values, unit_values, load_position, load_spread_K):
        conditions = dict(sheet_values)
        n = load_position.size
        # load spread: systematic by position (first to last sheet spans -spread/2..+spread/2, e.g. bottom
        # to top of a kiln stack) on top of the unit's set point error and each sheet's own scatter
        offset = load_position * load_spread_K
        offset += unit_values["setpoint_K"]
        offset += conditions.pop("sheet_offset_K")
        conditions["temperature_offset_K"] = offset
        conditions["hold_time_factor"] = np.full(n, unit_values["hold_time_factor"])
        return conditions

    def electrolyte_powder_route(self, step):
        return step.powder_route if step.layer == "electrolyte" else None

    def set_recipe_field(self, data, field, value):
        if field in ("sintering_peak_temperature_C", "sintering_hold_time_min"):
            # the peak segment of the profile carries the optimised temperature and hold
            peak = max(range(len(data["profile"])), key=lambda k: data["profile"][k]["temperature_C"])
            key = "temperature_C" if field == "sintering_peak_temperature_C" else "hold_time_min"
            data["profile"][peak][key] = value
        else:  # li_excess_li2co3_wt_fraction, cover_powder: same name on the step
            data[field] = value

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        if conditions.get(FIRING_INTERRUPTIONS) and interruption_policy(scenario, step) == "scrap":
            batch.scrap(batch.alive.copy(), step_index, "interrupted_firing")
            return False
        apply_sintering(scenario, step, batch, conditions, idx)
        return True

    def loads_fire_alike(self, step, load_conditions):
        return loads_fire_alike(step, load_conditions)

    def material_needs(self, scenario, step):
        material = electrolyte_material(scenario)
        pressed = PRESSURE_SINTERING_KEYS if step.heating_mode in PRESSURE_MODES else ()
        if step.layer == "electrolyte":
            if material.kind == "polymer":
                return []  # refused by the schema's chemistry rule (a polymer is not fired)
            if material.kind != "garnet":  # an anneal: no densification, the transport is re-evaluated
                return [MaterialNeed(ELECTROLYTE_FIELD, material.name, ELECTROLYTE_TRANSPORT_KEYS,
                                     "annealing the electrolyte")]
            return [MaterialNeed(ELECTROLYTE_FIELD, material.name,
                                 MASTER_CURVE_KEYS + GARNET_FIRING_KEYS + ELECTROLYTE_TRANSPORT_KEYS + pressed,
                                 "firing the garnet electrolyte (master sintering curve, Li2O loss, phases)")]
        # the composite cathode densifies on its electrolyte's master curve (twin.sheet_layers)
        return [MaterialNeed(ELECTROLYTE_FIELD, material.name, MASTER_CURVE_KEYS + pressed,
                             "firing the composite cathode (on the electrolyte's master sintering curve)"),
                MaterialNeed(CATHODE_FIELD, scenario.cell.cathode.material, CATHODE_KEYS,
                             "the fired cathode's capacity")]

    def material_items_per_sheet(self, scenario, index, step_name, step):
        materials = scenario.costs.materials
        items = {}
        if step.li_excess_li2co3_wt_fraction > 0:
            powder_kg = layer_powder_kg_per_sheet(scenario, step.layer, index)
            items["li2co3"] = (step.li_excess_li2co3_wt_fraction * powder_kg
                               * material_price(scenario, "li2co3", step_name))
        if step.cover_powder and materials.cover_powder_kg_per_m2 > 0:
            # cover powder is spent per firing; sub-layer cycles each need a fresh bed
            kg = (materials.cover_powder_kg_per_m2 * scenario.sheet_area_m2 * step.cycles
                  / materials.cover_powder_reuse_cycles)
            items["cover_powder"] = kg * material_price(scenario, "cover_powder", step_name)
        return items

    def garnet_surface_effects(self, scenario, step, state, idx):
        if electrolyte_material(scenario).kind != "garnet":
            return
        if _decomposes_carbonate(step):  # the firing decomposes the surface carbonate
            state["moisture_dose_Pa_s"][idx] = 0.0
            state["surface_carbonate_fraction"][idx] = 0.0

    def continuous_speed_m_per_s(self, scenario, index, step, station):
        # the belt carries a sheet through the heated zone in one pass of the (repeated) profile
        return station.heated_length_m / (sintering_profile(step).duration_s * step.cycles)

    def batch_process(self, scenario, index, step, station):
        profile = sintering_profile(step)
        process_s = profile.duration_s * step.cycles
        if station.furnace is not None:
            per_firing_J = _firing_energy_J(
                profile, station.furnace.thermal_mass_kJ_per_K * 1e3,
                station.furnace.heat_loss_kW_at_1000C * 1e3, station.furnace.heating_efficiency,
            )
            return process_s, per_firing_J * step.cycles / 3.6e6
        return process_s, station.power_kW * process_s / 3600.0


OPERATION = SinteringOperation()
