"""Ageing: cells stored on racks, then the end-of-line OCV screen for self-discharge.

A rack is a batch machine whose load is ``batch_capacity_sheets`` for ``ageing_days``: its machines
and floor area are the ageing WIP (cells in storage = rate x days, Little's law). A sheet formation
left shorted leaks V / R through a soft short (R lognormal per sheet, a seeded draw); its OCV drop over
the ageing time (process_models.formation.ocv_drop_V) above ``ocv_reject_margin_mV`` gets it rejected
("self_discharge"), a smaller one ships as an escape: a longer ageing catches more shorts.
"""

from __future__ import annotations

import math

from process_models.formation import ocv_drop_V
from twin.operations.base import UnitOperation
from twin.scenario.route import Ageing
from twin.sheet_batch import CAUSE_INDEX, lose_pieces


class AgeingOperation(UnitOperation):
    kind = "ageing"
    kills_pieces_singly = True
    step_class = Ageing

    def variation_draws(self, scenario, step):
        return [("log10_short_resistance", math.log10(step.short_resistance_median_ohm),
                 step.short_resistance_sd_decades, 0.0, 9.0)], []

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        from twin.cell_output import design_cell_energy_Wh  # twin.cell_output imports the scenario layer

        state = batch.state
        shorted = batch.alive & (state["out_of_spec_cause"] == CAUSE_INDEX["self_discharge"])
        pinholed = batch.alive & (state["pinhole_shorted_pieces"] > 0)   # NaN (never deposited) compares False
        if not (shorted.any() or pinholed.any()):
            return True
        voltage = scenario.cell.format.nominal_voltage_V
        capacity_Ah = design_cell_energy_Wh(scenario) / voltage
        leak_A = voltage / 10.0 ** conditions["log10_short_resistance"]
        drop_V = ocv_drop_V(leak_A, step.ageing_days, capacity_Ah, step.ocv_slope_V_per_unit_soc)
        seen = drop_V * 1e3 > step.ocv_reject_margin_mV
        caught = shorted & seen
        batch.scrap(caught, step_index, "self_discharge")
        # the missed ones ship: the screen that missed them is this one
        state["out_of_spec_step"][shorted & ~caught] = step_index
        if pinholed.any():
            self._screen_pinholes(scenario, batch, step_index, pinholed, seen)
        return True

    @staticmethod
    def _screen_pinholes(scenario, batch, step_index, pinholed, seen):
        """Thin-film pinhole shorts, cell piece by piece: the same OCV screen (one short resistance per
        sheet, shared by its shorted pieces) rejects them as dead pieces, or lets them pass."""
        state = batch.state
        caught = pinholed & seen
        lose_pieces(batch.values, caught, state["pinhole_shorted_pieces"][caught], "pinhole_short")
        state["pinhole_shorted_pieces"][caught] = 0.0
        all_lost = caught & (state["dead_cell_pieces"] >= scenario.cell.format.cells_per_sheet)
        batch.scrap(all_lost, step_index, "pinhole_short")
        state["pinhole_short_step"][pinholed & ~seen] = step_index

    def batch_process(self, scenario, index, step, station):
        process_s = step.ageing_days * 86400.0
        return process_s, station.power_kW * process_s / 3600.0   # rack monitoring and climate


OPERATION = AgeingOperation()
