"""A tester that holds each cell on a channel for hours takes a rack's worth of sheets as one lot.

The end-of-line test with a capacity grade holds every cell for the grade's cycle (twin.capacity_grading): the
plant's lot at that station is the work of one such hold, not of one hour, so the graded line runs as many units
as the ungraded one (a one-hour lot cut it into ~8x the units and a gigafactory year took 36 s of CPU, not 23).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from twin.capacity import station_timings
from twin.capacity_grading import grading_channel_hours
from twin.des.plant import DISCRETE_LOT_TIME_S, station_spec
from twin.scenario import apply_overrides, read_scenario_document, validate_scenario

pytestmark = pytest.mark.component

GIGAFACTORY = Path(__file__).resolve().parents[3] / "scenarios" / "gigafactory.yaml"


def _end_of_line_spec(overrides):
    scenario = validate_scenario(apply_overrides(read_scenario_document(GIGAFACTORY), overrides))
    timing = station_timings(scenario)["end_of_line_test"]
    upstream = 10**9   # no carrier cap: the hold alone sets the lot
    per_sheet_s = (timing.unit_process_time_s + timing.unit_overhead_s) / timing.unit_sheets
    return scenario, station_spec(timing, scenario, upstream), per_sheet_s


def test_a_graded_tester_takes_the_work_of_one_channel_hold_as_its_lot():
    scenario, spec, per_sheet_s = _end_of_line_spec({})
    step = next(step for step in scenario.route if step.name == "end_of_line_test")
    hold_s = (step.method.test_time_h + grading_channel_hours(scenario, step.capacity_grading)) * 3600.0
    assert hold_s > DISCRETE_LOT_TIME_S
    assert spec.unit_sheets == int(hold_s // per_sheet_s)
    assert spec.min_unit_sheets == 1


def test_an_ungraded_one_hour_test_keeps_the_one_hour_lot():
    _, spec, per_sheet_s = _end_of_line_spec({"route.end_of_line_test.capacity_grading": None,
                                              "line.stations.end_of_line_test.power_kW": 5})
    assert spec.unit_sheets == int(DISCRETE_LOT_TIME_S // per_sheet_s)


def test_the_carrier_still_caps_the_lot():
    scenario, _, _ = _end_of_line_spec({})
    timing = station_timings(scenario)["end_of_line_test"]
    assert station_spec(timing, scenario, 7).unit_sheets == 7
