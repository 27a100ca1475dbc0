"""Quality check: an inspection screens sheets against the specs and scraps them by cause."""

from __future__ import annotations

from twin.capacity_grading import apply_capacity_grading, grading_channel_hours, grading_time_per_sheet_s
from twin.expected_outcomes import EXPECTED_DETECTION, EXPECTED_FOUND_SHARE
from twin.inspection import apply_inspection, inspection_detection_probability
from twin.inspection_methods import apply_defect_inspection, method_figures
from twin.operations.base import UnitOperation
from twin.scenario.route import QualityCheck


class QualityCheckOperation(UnitOperation):
    kind = "quality_check"
    kills_pieces_singly = True
    step_class = QualityCheck
    is_quality_check = True

    def needs_detection_draw(self, scenario, step):
        # one uniform per sheet decides what the inspection does with it: a miss for an out-of-spec
        # sheet, a false reject for an in-spec one (disjoint sets, so one draw serves both)
        # a capacity grading's measurement scatter reads the same uniform (the schema keeps the check's own
        # miss and false-reject laws off such a check)
        return (inspection_detection_probability(scenario, step) < 1.0 or step.false_reject_probability > 0.0
                or (step.capacity_grading is not None and step.capacity_grading.measurement_sd_fraction > 0.0))

    def needs_defect_detection_draw(self, scenario, step):
        # a method's POD decision on a sheet's latent defects, or a false call on a clean sheet
        return step.method is not None

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        apply_inspection(scenario, step, step_index, batch, conditions.get("detection_draw"))
        if step.method is not None:
            apply_defect_inspection(scenario, step, step_index, batch, conditions["defect_detection_draw"],
                                    expected=conditions.get(EXPECTED_DETECTION, False),
                                    found_share=conditions.get(EXPECTED_FOUND_SHARE))
        if step.capacity_grading is not None:
            apply_capacity_grading(scenario, step, step_index, batch, conditions.get("detection_draw"))
        return True

    def discrete_process_s(self, scenario, step, station):
        # a method's scan (imaging) or test (electrical, per channel) time is the station's cycle time, and a
        # capacity grading's channel time adds to it (twin.capacity_grading)
        method_s = None if step.method is None else method_figures(scenario, step.method)["time_s"]
        if step.capacity_grading is None:
            return method_s
        return (method_s or 0.0) + grading_time_per_sheet_s(scenario, step)

    def cell_hold_s(self, scenario, step):
        # an electrical end-of-line test and a capacity grade hold each cell on a channel for their whole time
        hold_h = 0.0
        if step.method is not None and step.method.method == "eol_electrical":
            hold_h += step.method.test_time_h
        if step.capacity_grading is not None:
            hold_h += grading_channel_hours(scenario, step.capacity_grading)
        return hold_h * 3600.0

    def run_power_kW(self, scenario, index, step, station):
        # a grading tester's draw follows from the cells it charges (twin.grading_tester); the schema keeps a
        # metered power_kW off such a station
        if step.capacity_grading is None:
            return None
        from twin.grading_tester import run_power_kW

        return run_power_kW(scenario, step, station)


OPERATION = QualityCheckOperation()
