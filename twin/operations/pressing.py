"""Pressing: uniaxial (warm) pressing consolidates a powder layer (sulphides; Heckel)."""

from __future__ import annotations

import numpy as np

from process_models import powder_pressing
from twin.material_needs import (
    CATHODE_FIELD,
    CATHODE_KEYS,
    ELECTROLYTE_FIELD,
    ELECTROLYTE_TRANSPORT_KEYS,
    MaterialNeed,
)
from twin.operations.base import UnitOperation
from twin.scenario.route import Pressing
from twin.sheet_layers import electrolyte_material, filled, update_capacity, update_electrolyte_transport


def _take_powder_properties(state: dict[str, np.ndarray], idx) -> None:
    """A pressed layer of powder made in-house (argyrodite milling) conducts as that powder: its particles stay
    the grains of the layer (no grain growth below 300 C: assumption) and its conversion and crystallinity set
    the conductivity factor. Bought powder (NaN state) keeps the material's reference values."""
    factor = state["electrolyte_powder_conductivity_factor"][idx]
    if np.isnan(factor).all():
        return
    # only the first pressing takes them (a second one finds the grain size set)
    take = ~np.isnan(factor) & np.isnan(state["grain_size_m"][idx])
    state["conductivity_factor"][idx] = np.where(
        take, filled(state["conductivity_factor"][idx], 1.0) * filled(factor, 1.0), state["conductivity_factor"][idx])
    state["grain_size_m"][idx] = np.where(take, state["electrolyte_powder_particle_size_m"][idx],
                                          state["grain_size_m"][idx])


def _press(scenario, step: Pressing, state: dict[str, np.ndarray], idx) -> None:
    material = electrolyte_material(scenario)
    heckel = material.get("heckel_coefficient_per_Pa")
    density_key, thickness_key = (("relative_density", "electrolyte_thickness_m") if step.layer == "electrolyte"
                                  else ("cathode_relative_density", "cathode_thickness_m"))
    before = state[density_key][idx]
    if heckel is None:
        return  # hard oxides barely consolidate by cold pressing (roadmap 2020 §14.4)
    # warm pressing softens the particles (temperature-dependent Heckel slope)
    after = np.maximum(before, powder_pressing.pressed_relative_density(
        step.pressure_MPa * 1e6, step.temperature_C + 273.15, np.clip(before, 1e-6, 0.999), material))
    # idx may be a slice (views of the state): the thickness needs `before` before it is overwritten
    thickness = state[thickness_key][idx] * before / after
    state[density_key][idx] = after
    state[thickness_key][idx] = thickness
    if step.layer == "electrolyte":
        _take_powder_properties(state, idx)
        update_electrolyte_transport(scenario, state, idx)
    else:
        update_capacity(scenario, state, idx)


class PressingOperation(UnitOperation):
    kind = "pressing"
    step_class = Pressing

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        _press(scenario, step, batch.state, idx)
        material = electrolyte_material(scenario)
        if "pressing_fracture_pressure_Pa" in material and powder_pressing.pressing_cracks(step.pressure_MPa * 1e6,
                                                                                           material):
            batch.scrap(batch.alive.copy(), step_index, "cracked")  # over-pressed: the layer fractures
        return True

    def material_needs(self, scenario, step):
        # the Heckel law is optional (a hard oxide barely consolidates); with it the layer's state is updated
        material = electrolyte_material(scenario)
        if "heckel_coefficient_per_Pa" not in material:
            return []
        keys = ("heckel_softening_energy_J_per_mol",) + (
            ELECTROLYTE_TRANSPORT_KEYS if step.layer == "electrolyte" else ())
        needs = [MaterialNeed(ELECTROLYTE_FIELD, material.name, keys, "the warm-pressing (Heckel) law")]
        if step.layer == "cathode":
            needs.append(MaterialNeed(CATHODE_FIELD, scenario.cell.cathode.material, CATHODE_KEYS,
                                      "the pressed cathode's capacity"))
        return needs

    def batch_process(self, scenario, index, step, station):
        process_s = max(step.hold_time_min * 60.0, 1.0)
        return process_s, station.power_kW * process_s / 3600.0


OPERATION = PressingOperation()
