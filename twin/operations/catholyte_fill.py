"""Catholyte fill and wetting of a hybrid solid-liquid cell (roadmap s9).

A vacuum fill chamber with its wetting soak is a batch machine: a load of sheets (stacked cell
layers) is dosed (``fill_time_s``) and soaks for ``wetting_time_h``. Per sheet, the liquid fills the
cathode's open pores (1 - its relative density); the liquid in the pores and the solid-liquid
electrolyte interphase (SLEI), grown for ``slei_age_h``, set the sheet's catholyte-side ASR, which
twin.cell_output adds to the series ASR that limits the delivered capacity. A soak shorter than the
Washburn time leaves part of the area dry: the current crowds into the wetted part.
"""

from __future__ import annotations

import math

import numpy as np

from process_models.hybrid_catholyte import (
    catholyte_fill_volume_m3_per_m2,
    pore_electrolyte_asr_ohm_m2,
    slei_asr_ohm_m2,
    washburn_wetting_time_s,
    wetted_fraction,
)
from twin.operations.base import UnitOperation
from twin.scenario import ScenarioError
from twin.scenario.route import CatholyteFill
from twin.sheet_layers import bounded

CATHOLYTE_PRICE_KEY = "catholyte"


def required_wetting_time_s(scenario, step) -> float:
    """Washburn time for the liquid to reach the middle of a cell layer from its two long edges [s]."""
    distance_m = 0.5 * min(scenario.cell.format.cell_length_mm, scenario.cell.format.cell_width_mm) * 1e-3
    return float(washburn_wetting_time_s(distance_m, step.viscosity_mPa_s * 1e-3, step.surface_tension_mN_per_m * 1e-3,
                                         step.pore_radius_um * 1e-6, step.contact_angle_deg, step.tortuosity))


def design_porosity(scenario) -> float:
    """Open porosity of the designed cathode: 1 - target capacity / the capacity at full density."""
    from twin.capacity import cathode_design_capacity_mAh_per_cm2  # twin.capacity imports the registry

    full = cathode_design_capacity_mAh_per_cm2(scenario)
    return max(0.0, 1.0 - scenario.cell.target_areal_capacity_mAh_per_cm2 / full)


class CatholyteFillOperation(UnitOperation):
    kind = "catholyte_fill"
    step_class = CatholyteFill

    def variation_draws(self, scenario, step):
        # the SLEI scatters as the Li/electrolyte interface does (the same lognormal spread: assumption)
        return [("log_slei_factor", 0.0, scenario.variation.interface_asr_cv, None, None)], []

    def finish_sheet_draws(self, values):
        log_factor = values.pop("log_slei_factor")
        values["slei_factor"] = np.exp(log_factor, out=log_factor)

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        porosity = 1.0 - state["cathode_relative_density"][idx]
        no_cathode = np.isnan(porosity)  # nothing to fill: the field stays unset (counts 0 in the ASR)
        pore = pore_electrolyte_asr_ohm_m2(state["cathode_thickness_m"][idx],
                                           bounded(np.where(no_cathode, 1.0, porosity), 1e-3, 1.0),
                                           step.conductivity_mS_per_cm * 0.1)
        slei = slei_asr_ohm_m2(step.slei_initial_asr_ohm_cm2 * 1e-4 * conditions["slei_factor"][idx],
                               step.slei_age_h * 3600.0, step.slei_growth_time_h * 3600.0)
        wetted = float(wetted_fraction(step.wetting_time_h * 3600.0, required_wetting_time_s(scenario, step)))
        state["catholyte_asr_ohm_m2"][idx] = np.where(no_cathode, np.nan, (pore + slei) / wetted)
        return True

    def batch_process(self, scenario, index, step, station):
        process_s = step.fill_time_s + step.wetting_time_h * 3600.0
        return process_s, station.power_kW * process_s / 3600.0

    def material_items_per_sheet(self, scenario, index, step_name, step):
        prices = scenario.costs.materials.usd_per_kg
        if CATHOLYTE_PRICE_KEY not in prices:
            raise ScenarioError([f"costs.materials.usd_per_kg.{CATHOLYTE_PRICE_KEY}: missing; the "
                                 f"catholyte_fill step '{step_name}' needs the liquid's price"])
        volume_m3_per_m2 = float(catholyte_fill_volume_m3_per_m2(
            design_porosity(scenario), scenario.cell.cathode.thickness_um * 1e-6, step.excess_fraction))
        area_m2 = scenario.cell.format.cells_per_sheet * scenario.cell_layer_area_m2
        kg = volume_m3_per_m2 * area_m2 * step.catholyte_density_kg_per_m3
        return {"catholyte": kg * prices[CATHOLYTE_PRICE_KEY]} if not math.isclose(kg, 0.0) else {}


OPERATION = CatholyteFillOperation()
