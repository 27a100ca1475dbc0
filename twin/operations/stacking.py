"""Stacking: layers stacked under pressure into a cell; sets the cell's critical current density."""

from __future__ import annotations

import numpy as np

from process_models.cell_metrics import critical_current_density_A_per_m2
from process_models.grain_growth import ccd_grain_size_factor
from twin.material_needs import CCD_KEYS, ELECTROLYTE_FIELD, MaterialNeed
from twin.operations.base import UnitOperation
from twin.scenario import ScenarioError
from twin.scenario.route import Stacking
from twin.sheet_layers import bounded, electrolyte_material, filled


class StackingOperation(UnitOperation):
    kind = "stacking"
    step_class = Stacking
    assembles_cells = True

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        # the pieces that go into cells: a later rejection is counted against them (twin.cell_output)
        state["stacked_pieces"][idx] = scenario.cell.format.cells_per_sheet - state["dead_cell_pieces"][idx]
        material = electrolyte_material(scenario)
        if material.kind in ("garnet", "sulphide"):
            # a Li-filled scaffold spreads the interface over its pore walls: the CCD law holds per real
            # interface area (ASR there = geometric ASR x area), and the geometric CCD is that x area
            area = filled(state["li_interface_area_factor"][idx], 1.0)
            # no scaffold (every factor unset): x 1.0 changes no bit, so no pass over the sheets for it
            plain = np.ndim(area) == 0 and area == 1.0
            asr = filled(state["interface_asr_ohm_m2"][idx], 0.0)
            ccd = critical_current_density_A_per_m2(
                asr if plain else asr * area, step.stack_pressure_MPa * 1e6,
                bounded(filled(state["relative_density"][idx], 1.0), 1e-6, 1.0), material,
                temperature_K=step.cycling_temperature_C + 273.15)
            if not plain:
                ccd = area * ccd
            if material.kind == "garnet":  # intergranular filaments
                grains = state["grain_size_m"][idx]
                unset = np.count_nonzero(np.isnan(grains))
                if unset == 0:   # every sheet fired: the grain factor as it is, no masks
                    ccd *= ccd_grain_size_factor(grains, material)
                elif unset < np.size(grains):
                    # unset grains read 1 m into the law (np.where: nan_to_num's ~80 us of Python per lot;
                    # grain sizes are finite or NaN, so the values are the same) and their factor is 1
                    missing = np.isnan(grains)
                    ccd *= np.where(missing, 1.0, ccd_grain_size_factor(np.where(missing, 1.0, grains), material))
            state["critical_current_density_A_per_m2"][idx] = ccd
        return True

    def material_needs(self, scenario, step):
        material = electrolyte_material(scenario)
        if material.kind not in ("garnet", "sulphide"):
            return []  # the CCD law is calibrated for ceramic electrolytes only; others are not rated
        return [MaterialNeed(ELECTROLYTE_FIELD, material.name, CCD_KEYS,
                             "rating the critical current density of the stacked cell")]

    def material_items_per_sheet(self, scenario, index, step_name, step):
        # assumption: one cathode and one anode collector per stacked layer, cut to the cell-layer area
        collector_area_m2 = scenario.cell.format.cells_per_sheet * scenario.cell_layer_area_m2
        prices = scenario.costs.materials.current_collector_usd_per_m2
        items = {}
        for side in ("cathode", "anode"):
            metal = getattr(scenario.cell.current_collectors, side).material
            if metal not in prices:
                raise ScenarioError([f"costs.materials.current_collector_usd_per_m2.{metal}: missing; the "
                                     f"{side} current collector is {metal}; add its price in USD/m2"])
            items[f"{side}_collector_{metal}"] = items.get(f"{side}_collector_{metal}", 0.0) \
                + collector_area_m2 * prices[metal]
        return items


OPERATION = StackingOperation()
