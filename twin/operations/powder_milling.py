"""Powder milling: a calcined powder lot milled to the particle size forming and sintering need.

Milled in water, or stored in moist air before forming, the garnet exchanges Li+ for H+
(process_models.protonation): each sheet-equivalent carries its proton fraction and enters the kiln with the
Li the exchange costs taken off its Li excess, which the firing's Li balance and phases then see
(twin.sheet_firing).

A lot is counted in sheet-equivalents as at the calcination (twin.operations.calcination); the mill's
charge in kg follows from the station's ``batch_capacity_sheets``, and its energy from the recipe's
specific power x time (Rittinger's law turns the same energy per kg into the milled size).
"""

from __future__ import annotations

import numpy as np

from process_models import powder_synthesis, protonation
from twin.operations.base import UnitOperation
from twin.operations.calcination import powder_kg_per_sheet_equivalent
from twin.scenario.route import Calcination, PowderMilling
from twin.sheet_layers import electrolyte_material


def _calcination_before(scenario, index: int, layer: str) -> Calcination:
    for step in reversed(scenario.route[:index]):
        if isinstance(step, Calcination) and step.layer == layer:
            return step
    raise ValueError(f"route[{index}].powder_milling: no calcination of layer '{layer}' before it")


def proton_fraction(step: PowderMilling, particle_size_m):
    """Share of the milled powder's Li exchanged for H in the mill (water) and in storage (moist air), or None.

    The exchange never reverts at room temperature, so the powder keeps the larger of the two (the air
    exchange counted from zero: a slight underestimate after a water mill)."""
    if step.milling_medium != "water" and (step.storage_time_h <= 0 or step.storage_relative_humidity <= 0):
        return None
    exchanged = 0.0
    if step.milling_medium == "water":
        exchanged = protonation.proton_exchange_fraction(step.milling_time_h * 3600.0, particle_size_m,
                                                         protonation.saturation_exchange_fraction(0.0, in_water=True))
    in_air = protonation.proton_exchange_fraction(
        step.storage_time_h * 3600.0, particle_size_m,
        protonation.saturation_exchange_fraction(step.storage_relative_humidity))
    return np.maximum(exchanged, in_air)


class PowderMillingOperation(UnitOperation):
    kind = "powder_milling"
    step_class = PowderMilling

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        energy_J_per_kg = step.specific_power_W_per_kg * step.milling_time_h * 3600.0
        size = powder_synthesis.milled_particle_size_m(state["electrolyte_powder_particle_size_m"][idx],
                                                       energy_J_per_kg)
        state["electrolyte_powder_particle_size_m"][idx] = size
        exchanged = proton_fraction(step, size)
        if exchanged is not None:
            state["electrolyte_powder_proton_fraction"][idx] = exchanged
            state["electrolyte_powder_li_excess_pfu"][idx] -= protonation.protonation_li_deficit_pfu(
                exchanged, electrolyte_material(scenario)["nominal_li_pfu"])
        return True

    def batch_process(self, scenario, index, step, station):
        process_s = step.milling_time_h * 3600.0
        if station.power_kW is not None:  # metered mill power
            return process_s, station.power_kW * process_s / 3600.0
        calcination = _calcination_before(scenario, index, step.layer)
        load_kg = station.batch_capacity_sheets * powder_kg_per_sheet_equivalent(
            scenario, index, step.layer, calcination.powder_handling_loss_fraction)
        return process_s, step.specific_power_W_per_kg * load_kg * process_s / 3.6e6


OPERATION = PowderMillingOperation()
