"""Station timing from recipe and line: hand-computed numbers for the baseline scenario."""

import math

import pytest

from process_models.furnace_energy import furnace_energy_J
from twin.capacity import (
    sheets_per_roll,
    sintering_profile,
    station_timing,
    station_timings,
)
from twin.cell_output import design_cell_energy_Wh
from twin.scenario import apply_overrides, load_scenario, read_scenario_document, validate_scenario

BASELINE = "scenarios/oxide_baseline.yaml"
pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(BASELINE)


def test_roll_holds_floor_of_lengths_times_lanes(baseline):
    station = baseline.line.stations["electrolyte_casting"]
    # 0.9 m web / 0.2 m sheets = 4 lanes; 1000 m roll / 0.3 m sheets = 3333 sheets per lane
    assert sheets_per_roll(baseline, station) == (3333 * 4, 4)


def test_caster_processes_a_roll_at_casting_speed(baseline):
    timing = station_timing(baseline, "electrolyte_casting")
    assert timing.unit_process_time_s == pytest.approx(1000.0 / (5.0 / 60.0), rel=1e-12)
    assert timing.unit_overhead_s == 20 * 60.0


def test_kiln_cycle_is_the_profile_duration(baseline):
    # 25->600 C at 2 C/min (287.5 min) + 60 min + 600->1130 at 5 C/min (106 min) + 60 min
    # + 1130->25 C at 5 C/min (221 min) = 734.5 min
    timing = station_timing(baseline, "electrolyte_sintering")
    assert timing.unit_process_time_s == pytest.approx(734.5 * 60.0, rel=1e-12)
    assert timing.unit_sheets == 2000
    assert timing.unit_overhead_s == 45 * 60.0


def test_kiln_energy_comes_from_the_furnace_heat_balance(baseline):
    step = baseline.step("electrolyte_sintering")
    furnace = baseline.line.stations["electrolyte_sintering"].furnace
    expected_kWh = furnace_energy_J(sintering_profile(step), furnace.thermal_mass_kJ_per_K * 1e3,
                                    furnace.heat_loss_kW_at_1000C * 1e3, furnace.heating_efficiency) / 3.6e6
    assert station_timing(baseline, "electrolyte_sintering").unit_energy_kWh == pytest.approx(expected_kWh)


def test_sub_layer_firings_multiply_the_cycle(baseline):
    one = station_timing(baseline, "cathode_sintering",
                         step=baseline.step("cathode_sintering").model_copy(update={"cycles": 1}))
    eighteen = station_timing(baseline, "cathode_sintering")  # 90 um in 18 sub-layers of 5 um
    assert eighteen.unit_process_time_s == pytest.approx(18 * one.unit_process_time_s)


def test_availability_combines_breakdowns_and_planned_maintenance(baseline):
    timing = station_timing(baseline, "electrolyte_sintering")
    assert timing.availability == pytest.approx(2000 / (2000 + 12) * (1 - 2 / 168))


def test_capacity_is_machines_times_rate_times_availability_and_setup(baseline):
    timing = station_timing(baseline, "electrolyte_casting")
    rate = 13332 * 3600 / (12000 + 1200)
    setup_factor = 1 - 15 * 60 / (8 * 3600)
    machines = baseline.line.stations["electrolyte_casting"].machines
    assert machines == 2   # two casting lines (the baseline's 0.18 GWh/yr with its end-of-line rejects' cellmates)
    assert timing.capacity_sheets_per_hour == pytest.approx(machines * rate * 150 / 153 * setup_factor)
    assert station_timing(baseline, "electrolyte_casting", machines=3).capacity_sheets_per_hour == pytest.approx(
        3 / machines * timing.capacity_sheets_per_hour)


def test_per_cell_cycle_converts_to_per_sheet(baseline):
    # packaging: 8 s per cell; a cell takes 10 layers / 2 cells per sheet = 5 sheets
    assert station_timing(baseline, "packaging").unit_process_time_s == pytest.approx(8.0 / 5.0)


def test_dryer_speed_is_length_over_drying_time(baseline):
    from process_models import tape_casting
    from twin.capacity import casting_wet_thickness_m

    casting = baseline.step("electrolyte_casting")
    dry_s = tape_casting.drying_time_s(casting_wet_thickness_m(casting), 0.7, 0.5e-6)
    timing = station_timing(baseline, "electrolyte_drying")
    assert timing.unit_process_time_s == pytest.approx(1000.0 / (30.0 / dry_s))


def test_slower_casting_lowers_capacity():
    document = read_scenario_document(BASELINE)
    slow = validate_scenario(apply_overrides(document, {"route.electrolyte_casting.casting_speed_m_per_min": 2.5}))
    fast = validate_scenario(document)
    ratio = (station_timing(slow, "electrolyte_casting").sheets_per_hour_per_machine
             / station_timing(fast, "electrolyte_casting").sheets_per_hour_per_machine)
    assert ratio == pytest.approx((1000 / (5 / 60) + 1200) / (1000 / (2.5 / 60) + 1200))


def test_cell_energy_hand_calculation(baseline):
    # design 3.5 mAh/cm2 (the 90 um, 60 vol% LCO cathode could hold 3.83) x (19 x 14 cm2) x 10 layers x 3.85 V
    assert design_cell_energy_Wh(baseline) == pytest.approx(3.5e-3 * 266.0 * 10 * 3.85)


def test_cell_energy_is_capped_by_what_the_cathode_can_store():
    document = read_scenario_document(BASELINE)
    ambitious = validate_scenario(apply_overrides(document, {"cell.target_areal_capacity_mAh_per_cm2": 10.0}))
    # 90 um x 0.6 x 5.06 g/cm3 x 140 mAh/g = 3.8254 mAh/cm2 at full density
    stored = 90e-4 * 0.6 * 5.06 * 140
    assert design_cell_energy_Wh(ambitious) == pytest.approx(stored * 1e-3 * 266.0 * 10 * 3.85, rel=1e-9)


def test_every_route_step_has_finite_positive_timing(baseline):
    for name, timing in station_timings(baseline).items():
        assert math.isfinite(timing.capacity_sheets_per_hour) and timing.capacity_sheets_per_hour > 0, name
        assert timing.unit_energy_kWh >= 0, name
