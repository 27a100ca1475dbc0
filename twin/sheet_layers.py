"""Layer properties that follow from a sheet's state, shared by the route steps (private to the twin).

The electrolyte's conductivity and area-specific resistance follow from its density, phases and
thickness; the cathode's areal capacity from its thickness and density. Every step that changes those
calls the update here, so each derived property has one definition in the twin.
"""

from __future__ import annotations

import numpy as np

from process_models import conductivity, grain_growth
from process_models.cell_metrics import cathode_areal_capacity_mAh_per_cm2
from process_models.parameters import load_material
from twin.scenario import Scenario


def filled(values: np.ndarray, default: float) -> np.ndarray:
    """``values`` with NaN (not set by any step yet) replaced by ``default`` (a copy only if needed;
    the scalar ``default`` itself if no sheet has a value, which broadcasts the same)."""
    missing = np.isnan(values)
    if not missing.any():
        return values
    if missing.all():
        return default
    values = values.copy()
    values[missing] = default
    return values


def bounded(values: np.ndarray, low: float, high: float) -> np.ndarray:
    # np.clip's values without its per-call dispatch (~10 us a call, on every unit)
    return np.minimum(np.maximum(values, low), high)


def electrolyte_material(scenario: Scenario):
    return load_material(scenario.cell.electrolyte.material)


def layer_material_for_sintering(scenario: Scenario, layer: str):
    if layer == "electrolyte":
        return electrolyte_material(scenario)
    # The composite cathode densifies through its electrolyte matrix: its master sintering curve is
    # taken as that of the cell's electrolyte (assumption; no composite MSC is published).
    return electrolyte_material(scenario)


def update_electrolyte_transport(scenario: Scenario, state: dict[str, np.ndarray], idx,
                                  phases: tuple[np.ndarray, ...] | None = None,
                                  conductivity_factor=None) -> None:
    """Conductivity and ASR of the electrolyte; ``phases`` = (density, cubic, tetragonal, pyrochlore)
    and ``conductivity_factor`` when the caller has just computed and stored them (saves gathering them
    back)."""
    material = electrolyte_material(scenario)
    if phases is None:
        density = state["relative_density"][idx]
        cubic = filled(state["cubic_fraction"][idx], 1.0)
        pyro = filled(state["pyrochlore_fraction"][idx], 0.0)
        # fractions are >= 0, so 1 - cubic - pyrochlore <= 1: only the lower bound can bite
        tetragonal = np.maximum(1.0 - cubic - pyro, 0.0)
    else:
        density, cubic, tetragonal, pyro = phases
    factor = filled(state["conductivity_factor"][idx], 1.0) if conductivity_factor is None else conductivity_factor
    # grain (or pressed-particle) boundaries: coarser grains conduct better (brick layer); the garnets, and a
    # pressed sulphide whose powder size is known (made in-house), carry the brick-layer parameters
    if "grain_boundary_specific_resistance_ohm_m2" in material:
        grains = state["grain_size_m"][idx]
        missing = np.isnan(grains)   # one mask: a fired layer has every grain size, a pressed one none
        if not missing.any():
            grain_factor = grain_growth.grain_boundary_conductivity_factor(grains, material)
            # 1 x f is f: no pass over the sheets for the neutral factor (no route or aid factor)
            factor = grain_factor if np.ndim(factor) == 0 and factor == 1.0 else factor * grain_factor
        elif not missing.all():
            factor = factor * np.where(missing, 1.0, grain_growth.grain_boundary_conductivity_factor(
                np.where(missing, 1.0, grains), material))
    sigma = conductivity.ionic_conductivity_S_per_m(density, cubic, tetragonal, pyro, material,
                                                    conductivity_factor=factor)
    state["ionic_conductivity_S_per_m"][idx] = sigma
    state["electrolyte_asr_ohm_m2"][idx] = conductivity.area_specific_resistance_ohm_m2(
        state["electrolyte_thickness_m"][idx], np.maximum(sigma, 1e-30))


def update_capacity(scenario: Scenario, state: dict[str, np.ndarray], idx: np.ndarray) -> None:
    cathode = scenario.cell.cathode
    material = load_material(cathode.material)
    state["areal_capacity_mAh_per_cm2"][idx] = cathode_areal_capacity_mAh_per_cm2(
        state["cathode_thickness_m"][idx], cathode.active_volume_fraction, material["active_density_kg_per_m3"],
        material["specific_capacity_mAh_per_g"], bounded(state["cathode_relative_density"][idx], 1e-6, 1.0))
