"""Argyrodite milling: the Li6PS5Cl powder of the electrolyte made in-house by mechanochemical milling.

A lot is counted in sheet-equivalents as at the calcination (twin.operations.calcination): the station's
``batch_capacity_sheets`` sets the charge in kg. The specific milling energy (power per kg x time) sets the
conversion to argyrodite and the particle size (process_models.argyrodite_synthesis); an optional anneal
crystallises the milled glass-ceramic. Each sheet-equivalent carries its powder's particle size and
conductivity factor; the pressing of the layer takes them over (twin.operations.pressing), so the milled
size reaches the layer's conductivity through its particle boundaries (brick layer).
"""

from __future__ import annotations

import numpy as np

from process_models import argyrodite_synthesis
from twin.cost.materials import material_price
from twin.operations.base import UnitOperation
from twin.operations.calcination import powder_kg_per_sheet_equivalent
from twin.scenario.route import ArgyroditeMilling

# Mean heat capacity of the argyrodite charge in the anneal (assumption: ~0.8 kJ/(kg K), the order of Li2S and
# P2S5 near room temperature, NIST-JANAF; no Li6PS5Cl value read) and the share of the anneal furnace's heat that
# goes into the charge (assumption: a small lidded-crucible furnace, most heat lost to walls and argon flow)
ANNEAL_CHARGE_HEAT_CAPACITY_J_PER_KG_K = 800.0
ANNEAL_FURNACE_EFFICIENCY = 0.3


def milling_energy_J_per_kg(step: ArgyroditeMilling) -> float:
    """Specific milling energy of the recipe [J/kg]: net power per kg x time."""
    return step.specific_power_W_per_kg * step.milling_time_h * 3600.0


def crystallised_fraction(step: ArgyroditeMilling) -> float:
    """Share of the milled glass-ceramic the recipe's anneal crystallises (0 without an anneal)."""
    if step.anneal_temperature_C is None:
        return 0.0
    return float(argyrodite_synthesis.anneal_crystallised_fraction(step.anneal_temperature_C + 273.15,
                                                                   step.anneal_time_h * 3600.0))


class ArgyroditeMillingOperation(UnitOperation):
    kind = "argyrodite_milling"
    step_class = ArgyroditeMilling

    def powder_made_for(self, step):
        return step.layer

    def variation_draws(self, scenario, step):
        # the milled size of each sheet-equivalent scatters with the powder's size spread (the lot's energy is one)
        return [("particle_size_factor", 1.0, max(scenario.variation.particle_size_cv, 0.0), 0.3, None)], []

    def state_free_fields(self, step):
        return ("electrolyte_powder_particle_size_m", "electrolyte_powder_conductivity_factor")

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        energy = milling_energy_J_per_kg(step)
        conversion = float(argyrodite_synthesis.argyrodite_conversion_fraction(energy))
        size = float(argyrodite_synthesis.milled_argyrodite_particle_size_m(step.precursor_particle_size_um * 1e-6,
                                                                            energy))
        state["electrolyte_powder_particle_size_m"][idx] = size * conditions["particle_size_factor"][idx]
        state["electrolyte_powder_conductivity_factor"][idx] = argyrodite_synthesis.milled_powder_conductivity_factor(
            conversion, crystallised_fraction(step))
        if conversion < step.min_conversion_fraction:  # the lot fails its XRD release: every sheet-equivalent
            positions = np.arange(batch.n)[idx]
            batch.scrap_sheets(positions, step_index, "incomplete_synthesis")
        return True

    def _load_kg(self, scenario, index, step, station) -> float:
        return station.batch_capacity_sheets * powder_kg_per_sheet_equivalent(
            scenario, index, step.layer, step.powder_handling_loss_fraction)

    def batch_process(self, scenario, index, step, station):
        process_s = (step.milling_time_h + step.anneal_time_h) * 3600.0
        if station.power_kW is not None:  # metered mill (and anneal furnace) power
            return process_s, station.power_kW * process_s / 3600.0
        load_kg = self._load_kg(scenario, index, step, station)
        mill_J = milling_energy_J_per_kg(step) * load_kg
        anneal_J = 0.0
        if step.anneal_temperature_C is not None:
            anneal_J = (load_kg * ANNEAL_CHARGE_HEAT_CAPACITY_J_PER_KG_K * (step.anneal_temperature_C - 25.0)
                        / ANNEAL_FURNACE_EFFICIENCY)
        return process_s, (mill_J + anneal_J) / 3.6e6

    def material_items_per_sheet(self, scenario, index, step_name, step):
        # the sheet-equivalent's powder plus its handling loss, bought as the three precursors
        powder_kg = powder_kg_per_sheet_equivalent(scenario, index, step.layer, step.powder_handling_loss_fraction)
        return {name: powder_kg * per_kg * material_price(scenario, name, step_name)
                for name, per_kg in argyrodite_synthesis.PRECURSOR_KG_PER_KG.items()}


OPERATION = ArgyroditeMillingOperation()
