"""Powder milling: a calcined powder lot milled to the particle size forming and sintering need.

A lot is counted in sheet-equivalents as at the calcination (twin.operations.calcination); the mill's
charge in kg follows from the station's ``batch_capacity_sheets``, and its energy from the recipe's
specific power x time (Rittinger's law turns the same energy per kg into the milled size).
"""

from __future__ import annotations

from process_models import powder_synthesis
from twin.operations.base import UnitOperation
from twin.operations.calcination import powder_kg_per_sheet_equivalent
from twin.scenario.route import Calcination, PowderMilling


def _calcination_before(scenario, index: int, layer: str) -> Calcination:
    for step in reversed(scenario.route[:index]):
        if isinstance(step, Calcination) and step.layer == layer:
            return step
    raise ValueError(f"route[{index}].powder_milling: no calcination of layer '{layer}' before it")


class PowderMillingOperation(UnitOperation):
    kind = "powder_milling"
    step_class = PowderMilling

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        energy_J_per_kg = step.specific_power_W_per_kg * step.milling_time_h * 3600.0
        state["electrolyte_powder_particle_size_m"][idx] = powder_synthesis.milled_particle_size_m(
            state["electrolyte_powder_particle_size_m"][idx], energy_J_per_kg)
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
