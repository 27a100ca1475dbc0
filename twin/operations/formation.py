"""Formation: cells cycled on cyclers; a charge current above a sheet's CCD leaves a soft short.

The cycler is a batch machine whose load is its channels (``Formation.channels_per_cycler`` x
``cells_per_channel`` cells). Its time and net grid energy come from process_models.formation; the
per-sheet effect is Li penetration where the formation current density (the sheet's own areal
capacity x the charge C-rate) exceeds the sheet's critical current density (set at stacking from
its interface ASR, density and stack pressure). A shorted sheet is not visible yet: it carries the
cause "self_discharge" to the ageing step's OCV screen, or out of the plant as an escape.
"""

from __future__ import annotations

import numpy as np

from process_models.formation import (
    formation_current_density_A_per_m2,
    formation_grid_energy_J,
    formation_time_s,
    li_penetrates,
)
from twin.operations.base import UnitOperation
from twin.scenario.route import Formation
from twin.sheet_batch import CAUSE_INDEX


def cells_per_load(step) -> int:
    return int(step.channels_per_cycler) * int(step.cells_per_channel)


class FormationOperation(UnitOperation):
    kind = "formation"
    step_class = Formation

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        current = formation_current_density_A_per_m2(state["areal_capacity_mAh_per_cm2"], step.charge_c_rate_per_h)
        # keep the first cause a sheet carries (an earlier check's miss stays the reason it is bad)
        newly = (batch.alive & li_penetrates(state["critical_current_density_A_per_m2"], current)
                 & np.isnan(state["out_of_spec_cause"]))
        state["out_of_spec_cause"][newly] = CAUSE_INDEX["self_discharge"]
        state["out_of_spec_step"][newly] = step_index
        return True

    def batch_process(self, scenario, index, step, station):
        from twin.cell_output import design_cell_energy_Wh  # twin.cell_output imports the scenario layer

        process_s = float(formation_time_s(step.cycles, step.charge_c_rate_per_h, step.discharge_c_rate_per_h,
                                           step.shipping_soc, step.rest_h * 3600.0))
        per_cell_J = float(formation_grid_energy_J(design_cell_energy_Wh(scenario) * 3600.0, step.cycles,
                                                   step.shipping_soc, step.charger_efficiency,
                                                   step.recovery_fraction))
        # the cells' net energy plus the cyclers' own draw (controls, cooling) while they run
        return process_s, cells_per_load(step) * per_cell_J / 3.6e6 + station.power_kW * process_s / 3600.0


OPERATION = FormationOperation()
