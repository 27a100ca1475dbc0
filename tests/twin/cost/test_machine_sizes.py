"""Machine sizes: prices follow their exponents, capacity follows the size, bad sizes are refused, and the
cost-vs-scale curve picks size x count per station (economies of scale, never dearer than cloning)."""

from __future__ import annotations

import copy
import math

import pytest

from twin.capacity import station_timing
from twin.cost import annual_cost
from twin.cost.line_flow import line_flow
from twin.cost.linear_model import (
    building_area_per_machine_m2,
    installed_capex_per_machine_usd,
    run_kWh_above_idle_per_sheet,
    step_variable_cost_per_sheet,
)
from twin.cost.plant_scale import cost_versus_scale, default_targets_GWh
from twin.evaluate import evaluate_details, evaluate_scenario
from twin.scenario import ScenarioError, load_scenario, validate_scenario
from twin.scenario.machine_sizes import installed_station, size_choices, with_sizes

BASELINE = "scenarios/oxide_baseline.yaml"
GIGAFACTORY = "scenarios/gigafactory.yaml"

pytestmark = pytest.mark.component


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(BASELINE)


@pytest.fixture(scope="module")
def baseline_document(baseline):
    return baseline.model_dump(mode="json")


def _without_sizes(document: dict) -> dict:
    plain = copy.deepcopy(document)
    for station in plain["line"]["stations"].values():
        station.pop("sizes", None)
    plain["sources"] = {k: v for k, v in plain["sources"].items() if not k.endswith(".sizes")}
    return plain


def test_reference_size_evaluates_exactly_as_the_station_without_sizes(baseline, baseline_document):
    plain = validate_scenario(_without_sizes(baseline_document))
    sized, unsized = evaluate_scenario(baseline), evaluate_scenario(plain)
    assert sized["cost"] == unsized["cost"]
    assert sized["throughput"] == unsized["throughput"]
    assert sized["stations"] == unsized["stations"]


def test_one_machine_capex_labour_and_floor_follow_their_exponents_exactly(baseline):
    # electrolyte_casting: reference 0.9 m web at 1.5 MUSD, 1 operator, 120 m2; exponents 0.9 / 0.7 / 0.95
    sized = with_sizes(baseline, {"electrolyte_casting": 1.7})
    station = installed_station(sized, "electrolyte_casting")
    ratio = 1.7 / 0.9
    assert station.capex_usd == pytest.approx(1_500_000 * ratio ** 0.9, rel=1e-12)
    assert station.operators_per_shift == pytest.approx(1.0 * ratio ** 0.7, rel=1e-12)
    assert station.floor_area_m2 == pytest.approx(120 * ratio ** 0.95, rel=1e-12)
    # the cost model prices exactly that machine: installation factor 1.3, layout factor 1.8
    assert installed_capex_per_machine_usd(sized, "electrolyte_casting") == pytest.approx(
        1_500_000 * ratio ** 0.9 * 1.3, rel=1e-12)
    assert building_area_per_machine_m2(sized, "electrolyte_casting") == pytest.approx(
        120 * ratio ** 0.95 * 1.8, rel=1e-12)
    # the kiln (six-tenths rule): 4x the load at 4 ** 0.6 the price
    kiln = installed_station(with_sizes(baseline, {"electrolyte_sintering": 8000}), "electrolyte_sintering")
    assert kiln.capex_usd == pytest.approx(900_000 * 4 ** 0.6, rel=1e-12)
    assert kiln.batch_capacity_sheets == 8000


@pytest.mark.parametrize("path", [BASELINE, GIGAFACTORY])
def test_a_bigger_size_never_lowers_capacity(path):
    scenario = load_scenario(path)
    sized = {name: station for name, station in scenario.line.stations.items() if station.sizes is not None}
    # every station of these lines but the end-of-line tester (its capacity is its test method's) offers sizes
    assert set(scenario.line.stations) - set(sized) == {"end_of_line_test"}
    for name, station in sized.items():
        sizes = sorted(size_choices(station))
        rates = [station_timing(with_sizes(scenario, {name: s}), name, machines=1).sheets_per_hour_per_machine
                 for s in sizes]
        assert len(rates) >= 2, name
        assert all(b >= a for a, b in zip(rates, rates[1:], strict=False)), (name, sizes, rates)
        assert rates[-1] > rates[0], name


def test_parallel_heads_divide_the_cycle_and_keep_the_energy_per_sheet(baseline):
    one = station_timing(baseline, "stacking", machines=1)
    four = station_timing(with_sizes(baseline, {"stacking": 4}), "stacking", machines=1)
    assert four.unit_process_time_s == pytest.approx(one.unit_process_time_s / 4, rel=1e-12)
    assert four.energy_kWh_per_sheet == pytest.approx(one.energy_kWh_per_sheet, rel=1e-12)


def test_a_bigger_kiln_fires_more_sheets_for_the_same_energy_per_sheet(baseline):
    # assumption under test: power, furnace thermal mass and wall losses scale with the load
    small = run_kWh_above_idle_per_sheet(baseline, "electrolyte_sintering")
    big = run_kWh_above_idle_per_sheet(with_sizes(baseline, {"electrolyte_sintering": 8000}), "electrolyte_sintering")
    assert big == pytest.approx(small, rel=1e-12)
    assert (sum(step_variable_cost_per_sheet(baseline, "electrolyte_sintering").values())
            == pytest.approx(sum(step_variable_cost_per_sheet(
                with_sizes(baseline, {"electrolyte_sintering": 8000}), "electrolyte_sintering").values()), rel=1e-12))


def test_the_line_prices_its_installed_size(baseline):
    kiln_sized = with_sizes(baseline, {"electrolyte_sintering": 4000}, {"electrolyte_sintering": 11})
    details = evaluate_details(baseline)
    flow = line_flow(kiln_sized, details.flow.step_yield)
    cost = annual_cost(flow.operation)
    reference = annual_cost(line_flow(baseline, details.flow.step_yield).operation)
    # 11 kilns of twice the load: capex 11 x 2 ** 0.6 instead of the installed reference kilns (25)
    kiln_capex = 900_000 * 1.3
    installed = baseline.line.stations["electrolyte_sintering"].machines
    assert installed == 25
    assert cost.equipment_capex_usd - reference.equipment_capex_usd == pytest.approx(
        kiln_capex * (11 * 2 ** 0.6 - installed), rel=1e-9)


@pytest.fixture(scope="module")
def curves(baseline):
    details = evaluate_details(baseline)
    targets = default_targets_GWh()
    picked = cost_versus_scale(baseline, details.flow.step_yield, targets, output=details.flow.output)
    cloned = cost_versus_scale(baseline, details.flow.step_yield, targets, output=details.flow.output,
                               pick_sizes=False)
    return targets, picked, cloned


def test_the_curve_spans_a_pilot_line_to_the_batpac_plant(curves):
    targets, _, _ = curves
    assert targets[0] == pytest.approx(0.01) and targets[-1] == pytest.approx(50.0)
    # five points a decade: a point and the one five later are a decade apart
    assert targets[5] / targets[0] == pytest.approx(10.0)


def test_cost_falls_with_scale_a_decade_apart(curves):
    targets, picked, _ = curves
    for low, high in zip(picked, picked[5:], strict=False):
        assert high.usd_per_kwh < low.usd_per_kwh, (low.target_GWh_per_year, high.target_GWh_per_year)
    # the lower envelope (best cost at or below each output) never rises
    best = math.inf
    for point in picked:
        best = min(best, point.usd_per_kwh)
        assert point.usd_per_kwh >= best
    assert picked[-1].usd_per_kwh < 0.5 * picked[0].usd_per_kwh


def test_picking_sizes_is_never_dearer_than_cloning_the_installed_machine(curves):
    _, picked, cloned = curves
    for p, c in zip(picked, cloned, strict=True):
        assert p.usd_per_kwh <= c.usd_per_kwh * (1 + 1e-12), p.target_GWh_per_year
    # at 50 GWh/yr the big machines take far fewer of them (counted over the stations that have sizes: the
    # end-of-line testers, ~16,700 of them at the rated C/20 grading charge in both curves, have none)
    sized = [name for name in picked[-1].sizes]
    assert sum(picked[-1].machines[name] for name in sized) < sum(cloned[-1].machines[name] for name in sized) / 3
    assert picked[-1].sizes["electrolyte_sintering"] == 8000


def test_the_curve_shows_the_sawtooth_of_whole_machines(baseline):
    # finely spaced outputs: each added whole machine lifts the cost per kWh before more output spreads it
    details = evaluate_details(baseline)
    targets = [0.05 * 10 ** (k / 60) for k in range(61)]
    points = cost_versus_scale(baseline, details.flow.step_yield, targets, output=details.flow.output)
    rises = [b.usd_per_kwh > a.usd_per_kwh for a, b in zip(points, points[1:], strict=False)]
    assert any(rises)
    assert points[-1].usd_per_kwh < points[0].usd_per_kwh


def _with_station_sizes(document: dict, station: str, sizes: dict) -> dict:
    bad = copy.deepcopy(document)
    bad["line"]["stations"][station]["sizes"] = sizes
    return bad


@pytest.mark.parametrize(("station", "sizes", "expected"), [
    ("electrolyte_casting", {"axis": "web_width_m", "options": [1.3, 4.0]},
     "line.stations.electrolyte_casting.sizes.options[1]: 4 is above 3 (above 3 m no coater exists); allowed "
     "[0.05, 3] (web_width_m)"),
    ("electrolyte_sintering", {"axis": "web_width_m", "options": [1.3]},
     "sizes.axis: 'web_width_m' does not size a batch station; allowed: batch_capacity_sheets"),
    ("electrolyte_sintering", {"axis": "batch_capacity_sheets", "options": [2500.5]},
     "sizes.options[0]: 2500.5 is not a whole number of sheets"),
    ("electrolyte_sintering", {"axis": "batch_capacity_sheets", "options": [4000], "size": 3000},
     "sizes.size: 3000 is neither the reference 2000 (batch_capacity_sheets) nor one of the options 4000"),
    ("stacking", {"axis": "parallel_heads", "options": [2, 100]},
     "sizes.options[1]: 100 is above 64"),
    ("electrolyte_casting", {"axis": "line_speed_m_per_min", "options": [10]},
     "sizes.axis: 'line_speed_m_per_min' needs the station's line_speed_m_per_min (the reference size)"),
    ("stacking", {"axis": "parallel_heads", "options": [2, 2]}, "options[1]: 2 is listed twice"),
    ("stacking", {"axis": "parallel_heads", "options": [2], "capex_exponent": 2.0},
     "capex_exponent: 2 is above 1.5"),
    ("stacking", {"axis": "parallel_heads", "options": [0]}, "options[0]: 0 is at 0 (a machine size is positive)"),
])
def test_bad_sizes_are_refused_naming_the_field_value_and_range(baseline_document, station, sizes, expected):
    with pytest.raises(ScenarioError) as error:
        validate_scenario(_with_station_sizes(baseline_document, station, sizes))
    assert expected in str(error.value)


def test_the_discrete_event_twin_runs_the_sized_machines(baseline):
    from twin.des import simulate

    # 6 kilns of 4x the load, 4 spray frames of 8 heads, 3 rapid-firing chambers of 4x the tray: the
    # capacity of the 22 / 30 / 12 reference machines
    counts = {"electrolyte_sintering": 6, "cathode_spray": 4, "cathode_sintering": 3}
    big = with_sizes(baseline, {"electrolyte_sintering": 8000, "cathode_spray": 8, "cathode_sintering": 400}, counts)
    few = with_sizes(baseline, {}, counts)   # the same counts of reference machines
    sized = simulate(big, days=2, replications=1, seed=3, workers=1)
    small = simulate(few, days=2, replications=1, seed=3, workers=1)
    steady = evaluate_scenario(big)["throughput"]["gwh_per_year"]
    assert sized["throughput"]["gwh_per_year"] == pytest.approx(steady, rel=0.1)
    assert small["throughput"]["gwh_per_year"] < 0.5 * sized["throughput"]["gwh_per_year"]
