"""Vacuum drying of electrodes before cell assembly: a batch oven's hold (time and metered energy only)."""

from __future__ import annotations

from twin.operations.base import UnitOperation
from twin.scenario.liion_steps import VacuumDrying


class VacuumDryingOperation(UnitOperation):
    kind = "vacuum_drying"
    step_class = VacuumDrying
    changes_sheets = False

    def batch_process(self, scenario, index, step, station):
        process_s = step.hold_time_h * 3600.0
        return process_s, (station.power_kW or 0.0) * process_s / 3600.0


OPERATION = VacuumDryingOperation()
