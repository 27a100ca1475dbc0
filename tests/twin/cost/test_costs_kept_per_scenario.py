"""The cost figures kept per scenario without its seed (twin.cost.breakdown._scenario_costs): a seed variant
reuses them, they equal the figures computed afresh, and a scenario with another price or dry room (new
field objects: the models are frozen) never gets another scenario's figures."""

from __future__ import annotations

import pytest

from twin.cost import breakdown
from twin.cost.linear_model import (
    building_cost_per_machine_usd,
    conditioning_kWh_per_machine_per_year,
    installed_capex_per_machine_usd,
    station_fixed_cost_per_machine,
    step_variable_cost_per_sheet,
)
from twin.evaluate import evaluate_details
from twin.scenario.library import load_library_scenario

pytestmark = pytest.mark.unit


def test_a_seed_variant_reuses_the_figures_and_they_equal_a_fresh_computation():
    scenario = load_library_scenario("sulphide_spray")  # a dry-room line: the desiccant balance per station
    kept = breakdown._scenario_costs(scenario)
    assert breakdown._scenario_costs(scenario.model_copy(update={"seed": scenario.seed + 1})) is kept
    for step in scenario.route:
        station = kept.stations[step.name]
        assert station.fixed_per_machine == station_fixed_cost_per_machine(scenario, step.name)
        assert station.variable_per_sheet == step_variable_cost_per_sheet(scenario, step.name)
        assert station.capex_per_machine_usd == installed_capex_per_machine_usd(scenario, step.name)
        assert station.building_per_machine_usd == building_cost_per_machine_usd(scenario, step.name)
        assert station.conditioning_kWh_per_machine == conditioning_kWh_per_machine_per_year(scenario, step.name)
    assert any(station.conditioning_kWh_per_machine > 0 for station in kept.stations.values())


def test_a_changed_price_or_dry_room_gets_its_own_figures():
    scenario = load_library_scenario("sulphide_spray")
    before = evaluate_details(scenario).result
    utilities = scenario.costs.utilities.model_copy(
        update={"electricity_usd_per_kWh": scenario.costs.utilities.electricity_usd_per_kWh * 2})
    dearer = scenario.model_copy(update={"costs": scenario.costs.model_copy(update={"utilities": utilities})})
    assert breakdown._scenario_costs(dearer) is not breakdown._scenario_costs(scenario)
    assert evaluate_details(dearer).result["cost"]["by_category"]["energy"] > before["cost"]["by_category"]["energy"]
    room = scenario.line.zones.dry_room
    wetter = room.model_copy(update={"dew_point_C": room.dew_point_C + 10})
    zones = scenario.line.zones.model_copy(update={"dry_room": wetter})
    moved = scenario.model_copy(update={"line": scenario.line.model_copy(update={"zones": zones})})
    assert (evaluate_details(moved).result["energy"]["dry_room_kwh_per_year"]
            < before["energy"]["dry_room_kwh_per_year"])
