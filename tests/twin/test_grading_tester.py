"""The capacity grading's tester: channel time from the cell's rated charge, power from the cell's energy, channel
price from its Ah (twin.grading_tester)."""

from __future__ import annotations

import numpy as np
import pytest

from twin.capacity import station_timing
from twin.capacity_grading import grading_channel_hours
from twin.cell_output import design_cell_energy_Wh
from twin.cell_rating import cyclable_capacity_mAh_per_cm2, max_charge_c_rate_per_h
from twin.cost.linear_model import installed_capex_per_machine_usd, run_kWh_above_idle_per_sheet
from twin.evaluate import evaluate_details
from twin.grading_tester import (
    channel_price_usd,
    design_cell_Ah,
    grading_charge_c_rate_per_h,
    machines_needed,
    peak_power_kW,
    run_power_kW,
)
from twin.operations import operation_for
from twin.scenario import apply_overrides, load_scenario, read_scenario_document, validate_scenario
from twin.scenario.library import library_path

GRADING_LINES = ("oxide_baseline", "gigafactory", "sulphide_spray")


def _scenario(name="oxide_baseline", **overrides):
    return validate_scenario(apply_overrides(read_scenario_document(library_path(name)), overrides))


def _eol(scenario):
    return next(step for step in scenario.route if step.name == "end_of_line_test")


@pytest.mark.unit
def test_channel_time_is_the_formula_at_the_cells_rated_charge_and_discharge():
    # sulphide_spray: rated C/10 charge, C/3 (0.3333) discharge, 5 % CV tail, 30 % shipping SOC, 0.5 h rests:
    # 1.05 x 10 + 1 / 0.3333 + 0.3 x 10 + 0.5 = 17.0003 h
    scenario = _scenario("sulphide_spray")
    assert grading_channel_hours(scenario, _eol(scenario).capacity_grading) == pytest.approx(
        10.5 + 1.0 / 0.3333 + 3.0 + 0.5, rel=1e-12)
    # without a charge rating the tester charges at the rated discharge rate: (1.05 + 0.3) / 0.3333 + 1 / 0.3333
    unrated = _scenario("sulphide_spray", **{"cell.rating.charge_c_rate_per_h": None})
    assert grading_charge_c_rate_per_h(unrated) == 0.3333
    assert grading_channel_hours(unrated, _eol(unrated).capacity_grading) == pytest.approx(
        2.35 / 0.3333 + 0.5, rel=1e-12)


@pytest.mark.unit
def test_testers_needed_grow_with_the_test_time():
    # slower charges hold each cell longer: the station's time per sheet and the testers a fixed flow needs grow
    rates = (0.2, 0.1, 0.05, 0.025)
    hours, per_sheet_s, needed = [], [], []
    for rate in rates:
        scenario = _scenario(**{"cell.rating.charge_c_rate_per_h": rate})
        step = _eol(scenario)
        station = scenario.line.stations["end_of_line_test"]
        hours.append(grading_channel_hours(scenario, step.capacity_grading))
        per_sheet_s.append(operation_for(step).discrete_process_s(scenario, step, station))
        needed.append(machines_needed(750.0 * (hours[-1] + 1.0), 512, 0.999))   # 750 cells an hour
    assert np.all(np.diff(hours) > 0) and np.all(np.diff(per_sheet_s) > 0)
    assert np.all(np.diff(needed) > 0)
    assert needed[2] == 47     # the baseline's C/20: 750 x 31.5003 h = 23,625 channels over 512 x 0.999


@pytest.mark.unit
def test_tester_power_follows_the_cells_energy():
    # a cell with 0.8 x the design capacity: 0.8 x the energy, 0.8 x the channels' draw above the standby
    energies, above_standby = [], []
    for target in (3.5, 2.8):
        scenario = _scenario(**{"cell.target_areal_capacity_mAh_per_cm2": target})
        step = _eol(scenario)
        station = scenario.line.stations["end_of_line_test"]
        energy_Wh = design_cell_energy_Wh(scenario)
        # peak: 512 channels x E x C/20 / 0.9 + 2 kW standby
        assert peak_power_kW(scenario, step, station) == pytest.approx(
            512 * energy_Wh * 1e-3 * 0.05 / 0.9 + 2.0, rel=1e-12)
        # energy per sheet above the standby: the cell's grid energy (1.3 E / 0.9 - 0.5 E) over its 5 sheets
        grid_kWh = energy_Wh * 1e-3 * (1.3 / 0.9 - 0.5)
        assert run_kWh_above_idle_per_sheet(scenario, "end_of_line_test") == pytest.approx(
            grid_kWh / scenario.sheets_per_cell, rel=1e-12)
        assert station_timing(scenario, "end_of_line_test").run_power_kW == pytest.approx(
            run_power_kW(scenario, step, station), rel=1e-12)
        energies.append(energy_Wh)
        above_standby.append(run_power_kW(scenario, step, station) - station.idle_power_kW)
    assert energies[1] / energies[0] == pytest.approx(0.8, rel=1e-12)
    assert above_standby[1] / above_standby[0] == pytest.approx(0.8, rel=1e-12)


@pytest.mark.unit
def test_channel_price_is_the_reference_price_at_the_reference_ah_and_scales_as_batpac():
    scenario = _scenario()
    capacity_Ah = design_cell_Ah(scenario)
    at_reference = _scenario(**{"route.end_of_line_test.capacity_grading.channel_price_reference_Ah": capacity_Ah})
    assert channel_price_usd(at_reference, _eol(at_reference).capacity_grading) == pytest.approx(780.0, rel=1e-12)
    # BatPaC V5: (Ah / Ah_ref)^0.3 (the library quotes 10 Ah), x1.1 above 80 Ah
    assert channel_price_usd(scenario, _eol(scenario).capacity_grading) == pytest.approx(
        780.0 * (capacity_Ah / 10.0) ** 0.3, rel=1e-12)
    big = _scenario(**{"route.end_of_line_test.capacity_grading.channel_price_reference_Ah": capacity_Ah / 10.0})
    assert channel_price_usd(big, _eol(big).capacity_grading) == pytest.approx(780.0 * 10.0 ** 0.3, rel=1e-12)
    # the tester is priced as its station's capex_usd (0 here) plus its 512 channels, installed x1.3
    assert installed_capex_per_machine_usd(scenario, "end_of_line_test") == pytest.approx(
        512 * 780.0 * (capacity_Ah / 10.0) ** 0.3 * 1.3, rel=1e-12)
    unpriced = _scenario(**{"route.end_of_line_test.capacity_grading.channel_price_usd": None,
                            "line.stations.end_of_line_test.capex_usd": 400000})
    assert installed_capex_per_machine_usd(unpriced, "end_of_line_test") == pytest.approx(400000 * 1.3, rel=1e-12)


@pytest.mark.unit
def test_above_80_ah_a_channel_costs_a_tenth_more():
    scenario = _scenario("gigafactory", **{"cell.format.layers_per_cell":
                                           read_scenario_document(library_path("gigafactory"))["cell"]["format"]
                                           ["layers_per_cell"] * 2})
    capacity_Ah = design_cell_Ah(scenario)
    assert capacity_Ah > 80.0
    assert channel_price_usd(scenario, _eol(scenario).capacity_grading) == pytest.approx(
        780.0 * (capacity_Ah / 10.0) ** 0.3 * 1.1, rel=1e-12)


@pytest.mark.component
@pytest.mark.parametrize("name", GRADING_LINES)
def test_library_graders_charge_no_faster_than_the_slowest_graded_sheet_takes(name):
    # the tester's charge (the cell's rated charge) is the design's; every sheet the evaluation grades must take it
    details = evaluate_details(load_scenario(library_path(name)))
    alive, values = details.checkpoints["end_of_line_test"]
    graded = values[:, alive]
    limit = max_charge_c_rate_per_h(graded, cyclable_capacity_mAh_per_cm2(details.scenario, graded))
    limit = limit[np.isfinite(limit)]
    assert limit.size > 1000
    assert grading_charge_c_rate_per_h(details.scenario) <= limit.min()
    assert details.result["cell"]["charge_limit"] is None
    sentence = next(note for note in _notes(details.result) if "each cell holds a tester channel" in note)
    assert "is within what they take" in sentence and "testers of 512 channels (the line has" in sentence


def _notes(result):
    from twin.commands.output_notes import output_notes

    return output_notes(result)


@pytest.mark.component
def test_the_grading_sentence_states_time_rates_testers_and_power():
    details = evaluate_details(load_scenario(library_path("oxide_baseline")))
    sentence = next(note for note in _notes(details.result) if "each cell holds a tester channel" in note)
    assert sentence.startswith("Capacity grading at end_of_line_test: each cell holds a tester channel 30.5 h "
                               "(a full charge at C/20, the cell's rated charge, cell.rating.charge_c_rate_per_h, "
                               "with a 5 % constant-voltage tail; the measuring discharge at C/3")
    assert "on top of the 1 h end-of-line test" in sentence
    assert "testers of 512 channels (the line has 60, 77 % loaded)" in sentence
    assert "a channel for this 9.31 Ah cell costs 763 USD" in sentence
    assert "inf" not in sentence and "nan" not in sentence


@pytest.mark.unit
@pytest.mark.parametrize("overrides, message", [
    ({"route.end_of_line_test.capacity_grading.cv_taper_fraction": 2},
     "route[11].quality_check.capacity_grading.cv_taper_fraction: 2 is above 1"),
    ({"route.end_of_line_test.capacity_grading.charger_efficiency": 0.3},
     "route[11].quality_check.capacity_grading.charger_efficiency: 0.3 is below 0.5"),
    ({"route.end_of_line_test.capacity_grading.channel_price_usd": -5},
     "route[11].quality_check.capacity_grading.channel_price_usd: -5 is below 0"),
    ({"route.end_of_line_test.capacity_grading.channel_price_Ah_exponent": 1.5},
     "route[11].quality_check.capacity_grading.channel_price_Ah_exponent: 1.5 is above 1"),
    ({"line.stations.end_of_line_test.power_kW": 5},
     "line.stations.end_of_line_test.power_kW: 5 on a station whose check grades capacity; allowed: none"),
])
def test_tester_input_errors_name_the_field_value_and_range(overrides, message):
    from tests.twin.scenario.test_schema_rules import problems

    found = problems(read_scenario_document(library_path("oxide_baseline")), overrides)
    assert len(found) == 1 and message in found[0]


@pytest.mark.unit
def test_the_cli_refuses_a_bad_tester_value_with_exit_2(capsys):
    from tests.twin.scenario.test_cli_validate_schema import run_cli

    code, out, err = run_cli(["evaluate", str(library_path("oxide_baseline")), "--set",
                              "route.end_of_line_test.capacity_grading.cv_taper_fraction=-0.1"], capsys)
    assert code == 2
    assert ("capacity_grading.cv_taper_fraction: -0.1 is below 0 (a constant-voltage tail cannot be negative); "
            "allowed [0, 1]") in err
    assert "Traceback" not in out + err
