"""Vacuum deposition of a thin-film layer: batch chamber with a load lock, or roll-to-roll web coater.

Timing and energy come from the method's static rate (process_models.vacuum_deposition): a batch
chamber coats its load at once in pump-down + deposition + vent + load-lock; a web coater runs at
speed = static rate x zone length / thickness. The pumps run while the machine runs, the sources while
it deposits (sputter power = power density x target area). Per sheet: the cathode film (dense, as
deposited), the electrolyte film (thickness, conductivity, ASR) and its through-pinholes, which short the
cell pieces they fall in (found only by an end-of-line OCV screen, twin.operations.ageing).
"""

from __future__ import annotations

import numpy as np

from process_models import electrolyte_pinholes as pinholes
from process_models import thin_film_cathode
from process_models import vacuum_deposition as vd
from process_models.parameters import load_material
from twin.cost.materials import material_price
from twin.operations.base import UnitOperation
from twin.scenario import ScenarioError
from twin.scenario.thinfilm_steps import SPUTTER_METHODS, VacuumDeposition
from twin.sheet_layers import update_electrolyte_transport


def layer_thickness_m(scenario, step: VacuumDeposition) -> float:
    """Design thickness of the deposited layer [m]: the cell's cathode/electrolyte, or the collector's own."""
    if step.layer == "cathode":
        return scenario.cell.cathode.thickness_um * 1e-6
    if step.layer == "electrolyte":
        return scenario.cell.electrolyte.thickness_um * 1e-6
    return step.thickness_um * 1e-6


def static_rate_m_per_s(step: VacuumDeposition) -> float:
    """Deposition rate under the sources [m/s] for the step's method and target."""
    if step.method in SPUTTER_METHODS:
        return float(vd.sputter_rate_m_per_s(step.power_density_W_per_cm2 * 1e4, step.target, step.method))
    if step.method == "evaporation":
        if step.deposition_rate_nm_per_min is not None:
            return step.deposition_rate_nm_per_min * 1e-9 / 60.0
        return vd.EVAPORATION_RATES_M_PER_S[step.target]
    process = vd.ALD_PROCESSES[step.method]
    return float(vd.ald_rate_m_per_s(process["growth_per_cycle_m"], process["cycle_time_s"]))


def deposition_time_s(scenario, step: VacuumDeposition) -> float:
    """Time under the sources for the design thickness [s]."""
    return layer_thickness_m(scenario, step) / static_rate_m_per_s(step)


def source_power_kW(step: VacuumDeposition, station) -> float:
    """Power of the station's sources while depositing [kW]: power density x target area when sputtering."""
    vacuum = station.vacuum
    if step.method in SPUTTER_METHODS:
        return step.power_density_W_per_cm2 * vacuum.target_area_cm2 / 1000.0
    return vacuum.evaporation_source_kW


def film_density_kg_per_m3(scenario, step: VacuumDeposition) -> float:
    if step.layer == "cathode":
        return load_material(scenario.cell.cathode.material)["active_density_kg_per_m3"]
    if step.layer == "electrolyte":
        return load_material(scenario.cell.electrolyte.material)["theoretical_density_kg_per_m3"]
    return vd.SPUTTER_TARGETS[step.target]["film_density_kg_per_m3"]


def target_utilisation(step: VacuumDeposition) -> float:
    # an evaporation crucible or ALD precursor is used up whole; a sputter target only to its erosion groove
    return vd.TARGET_UTILISATION[step.target_form] if step.method in SPUTTER_METHODS else 1.0


class VacuumDepositionOperation(UnitOperation):
    kind = "vacuum_deposition"
    step_class = VacuumDeposition

    def variation_draws(self, scenario, step):
        return [("thickness_factor", 1.0, scenario.variation.deposition_thickness_cv, 0.5, 1.5)], []

    def needs_detection_draw(self, scenario, step):
        # one uniform per sheet decides its pinhole-shorted cell pieces (binomial inversion)
        return step.layer == "electrolyte" and step.pinhole_density_per_cm2 > 0

    def finish_sheet_draws(self, values):
        if "detection_draw" in values:
            values["pinhole_draw"] = values.pop("detection_draw")

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        thickness = layer_thickness_m(scenario, step) * conditions["thickness_factor"][idx]
        if step.layer == "cathode":
            material = load_material(scenario.cell.cathode.material)
            state["cathode_thickness_m"][idx] = thickness
            state["cathode_relative_density"][idx] = 1.0   # a sputtered film, dense as deposited
            state["areal_capacity_mAh_per_cm2"][idx] = thin_film_cathode.areal_capacity_mAh_per_cm2(
                thickness, material["as_deposited_capacity_per_um_uAh_per_cm2"])
        elif step.layer == "electrolyte":
            state["electrolyte_thickness_m"][idx] = thickness
            state["relative_density"][idx] = 1.0           # a dense amorphous film
            update_electrolyte_transport(scenario, state, idx)
            if step.pinhole_density_per_cm2 > 0:
                self._pinholes(scenario, step, step_index, batch, conditions, idx, thickness)
        return True

    def short_probability_per_cell(self, scenario, step):
        if step.layer != "electrolyte" or step.pinhole_density_per_cm2 <= 0:
            return 0.0
        density = pinholes.pinhole_density_per_m2(layer_thickness_m(scenario, step),
                                                  step.pinhole_density_per_cm2 * 1e4,
                                                  step.pinhole_reference_thickness_um * 1e-6,
                                                  step.pinhole_decay_length_um * 1e-6)
        return float(pinholes.short_probability(density, scenario.cell_layer_area_m2))

    @staticmethod
    def _pinholes(scenario, step, step_index, batch, conditions, idx, thickness):
        state = batch.state
        density = pinholes.pinhole_density_per_m2(thickness, step.pinhole_density_per_cm2 * 1e4,
                                                  step.pinhole_reference_thickness_um * 1e-6,
                                                  step.pinhole_decay_length_um * 1e-6)
        p_short = pinholes.short_probability(density, scenario.cell_layer_area_m2)
        shorted_before = np.nan_to_num(state["pinhole_shorted_pieces"][idx], nan=0.0)
        live = scenario.cell.format.cells_per_sheet - state["dead_cell_pieces"][idx] - shorted_before
        new = pinholes.shorted_cell_count(conditions["pinhole_draw"][idx], np.maximum(live, 0.0), p_short)
        state["pinhole_shorted_pieces"][idx] = shorted_before + new
        step_row = state["pinhole_short_step"]
        step_row[idx] = np.where(new > 0, float(step_index), step_row[idx])

    def batch_process(self, scenario, index, step, station):
        vacuum = station.vacuum
        deposition_s = deposition_time_s(scenario, step)
        cycle_s = float(vd.batch_chamber_cycle_s(vacuum.pump_down_min * 60.0, deposition_s, vacuum.vent_min * 60.0,
                                                 vacuum.load_lock_min * 60.0))
        energy = float(vd.vacuum_energy_kWh(vacuum.pump_power_kW, cycle_s, source_power_kW(step, station),
                                            deposition_s))
        return cycle_s, energy

    def continuous_speed_m_per_s(self, scenario, index, step, station):
        return float(vd.web_speed_m_per_s(layer_thickness_m(scenario, step), static_rate_m_per_s(step),
                                          station.deposition_zone_length_m))

    def run_power_kW(self, scenario, index, step, station):
        # a web coater deposits all the time it runs: pumps + sources
        return station.vacuum.pump_power_kW + source_power_kW(step, station)

    def material_items_per_sheet(self, scenario, index, step_name, step):
        area = scenario.sheet_area_m2
        kg = float(vd.target_consumption_kg_per_m2(layer_thickness_m(scenario, step),
                                                   film_density_kg_per_m3(scenario, step),
                                                   step.transfer_efficiency, target_utilisation(step))) * area
        name = f"{step.target}_target"
        items = {name: kg * material_price(scenario, name, step_name)}
        first = next(i for i, s in enumerate(scenario.route) if s.kind == self.kind)
        substrate = scenario.cell.substrate
        if index == first and substrate is not None:  # the substrate enters the line with its first layer
            prices = scenario.costs.materials.substrate_usd_per_m2
            if substrate.material not in prices:
                raise ScenarioError([f"costs.materials.substrate_usd_per_m2.{substrate.material}: missing; the cell "
                                     f"is deposited on {substrate.material}; add its price in USD/m2"])
            items[f"substrate_{substrate.material}"] = prices[substrate.material] * area
        return items


OPERATION = VacuumDepositionOperation()
