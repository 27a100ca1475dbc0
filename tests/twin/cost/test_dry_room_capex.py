"""The dry room's capital premium follows its dew point; the user's figure overrides; the by-step table closes."""

from __future__ import annotations

import math

import pytest

from process_models.dry_room import regeneration_J_per_kg_water
from twin.cost import annual_cost, capital_recovery_factor
from twin.cost.dry_room_capex import dry_room_premium_usd_per_m2, premium_source, regeneration_duty_ratio
from twin.cost.line_flow import line_flow
from twin.cost.linear_model import building_area_per_machine_m2, building_cost_per_machine_usd
from twin.scenario import ScenarioError, apply_overrides, read_scenario_document, validate_scenario

HYBRID = "scenarios/oxide_hybrid.yaml"
# BatPaC V5 baseline: dry-room management capital 7.3 M USD, 61,000 m2 of dry-room floor (cost-notes §1.2)
BATPAC_DRY_ROOM_CAPITAL_USD = 7.3e6
BATPAC_DRY_ROOM_FLOOR_M2 = 61000.0


def _scenario(**overrides):
    document = read_scenario_document(HYBRID)
    if overrides:
        document = apply_overrides(document, {key.replace("__", "."): value for key, value in overrides.items()})
    return validate_scenario(document)


def _at(dew_point_C, **overrides):
    return _scenario(**{"line__zones__dry_room__dew_point_C": dew_point_C, **overrides})


@pytest.mark.unit
def test_premium_at_the_reference_dew_point_is_the_reference_and_its_plant_share_is_batpacs():
    scenario = _at(-40)
    building = scenario.costs.building
    assert building.dry_room_premium_usd_per_m2 is None  # the library prices its room from the dew point
    assert building.dry_room_dehumidifier_usd_per_m2 == pytest.approx(
        BATPAC_DRY_ROOM_CAPITAL_USD / BATPAC_DRY_ROOM_FLOOR_M2, rel=1e-12)  # 119.67 USD/m2
    assert regeneration_duty_ratio(scenario.line.zones.dry_room) == pytest.approx(1.0, rel=1e-15)
    # exactly the reference at -40 C, so the -40 C library lines keep their building cost to the last bit
    assert dry_room_premium_usd_per_m2(scenario) == building.dry_room_reference_premium_usd_per_m2 == 2500.0


@pytest.mark.unit
def test_premium_at_minus_50C_adds_the_plant_share_times_the_extra_regeneration_duty():
    scenario = _at(-50)
    # regeneration 6.03 MJ/kg at -50 C against 5.00 at -40 C (docs/calibration/energy.md table)
    duty = float(regeneration_J_per_kg_water(223.15, 283.15)) / 5.0e6
    assert duty == pytest.approx(1.2065, abs=5e-4)
    expected = 2500.0 + BATPAC_DRY_ROOM_CAPITAL_USD / BATPAC_DRY_ROOM_FLOOR_M2 * (duty - 1.0)
    assert dry_room_premium_usd_per_m2(scenario) == pytest.approx(expected, rel=1e-9)
    assert dry_room_premium_usd_per_m2(scenario) == pytest.approx(2524.72, abs=0.01)
    assert "at -50 C" in premium_source(scenario)


@pytest.mark.unit
def test_premium_rises_as_the_dew_point_falls():
    dew_points = [-20, -30, -40, -45, -50, -55, -60, -65]
    premiums = [dry_room_premium_usd_per_m2(_at(t)) for t in dew_points]
    assert all(drier > wetter for wetter, drier in zip(premiums, premiums[1:], strict=False)), premiums
    # below -65 C one rotor's regeneration is capped (process_models.dry_room): the premium stops rising, never falls
    deeper = [dry_room_premium_usd_per_m2(_at(t)) for t in (-65, -70, -80)]
    assert all(drier >= wetter for wetter, drier in zip(deeper, deeper[1:], strict=False)), deeper


@pytest.mark.unit
def test_a_humid_site_pays_a_larger_plant_for_the_same_room():
    temperate = dry_room_premium_usd_per_m2(_at(-50))
    humid = dry_room_premium_usd_per_m2(_at(-50, line__zones__dry_room__outdoor_dew_point_C=20.0))
    assert humid > temperate


@pytest.mark.unit
@pytest.mark.parametrize("dew_point_C", [-40, -50, -60])
def test_the_users_own_premium_is_used_at_any_dew_point(dew_point_C):
    scenario = _at(dew_point_C, costs__building__dry_room_premium_usd_per_m2=1234.0)
    assert dry_room_premium_usd_per_m2(scenario) == 1234.0
    assert "given by the scenario" in premium_source(scenario)
    station = "li_lamination"
    assert scenario.line.stations[station].zone == "dry_room"
    assert building_cost_per_machine_usd(scenario, station) == pytest.approx(
        building_area_per_machine_m2(scenario, station) * (scenario.costs.building.usd_per_m2 + 1234.0), rel=1e-15)


@pytest.mark.unit
def test_a_plant_share_above_the_premium_is_refused_naming_the_field():
    with pytest.raises((ScenarioError, ValueError)) as caught:
        _scenario(costs__building__dry_room_dehumidifier_usd_per_m2=3000.0)
    message = str(caught.value)
    assert "dry_room_dehumidifier_usd_per_m2" in message and "3000" in message and "2500" in message


@pytest.mark.component
def test_by_step_table_closes_on_the_headline_with_the_dew_point_premium_in_each_dry_room_step():
    scenario = _at(-50)
    yields = {step.name: 0.98 for step in scenario.route}
    operation = line_flow(scenario, yields).operation
    cost = annual_cost(operation)
    assert math.fsum(cost.by_step_usd_per_kwh.values()) == pytest.approx(cost.usd_per_kwh, rel=1e-12)
    assert math.fsum(cost.by_step_usd_per_year.values()) == pytest.approx(cost.total_usd_per_year, rel=1e-12)
    capital = scenario.costs.capital
    crf = capital_recovery_factor(capital.cost_of_capital, capital.building_life_years)
    premium = dry_room_premium_usd_per_m2(scenario)
    building_capex = 0.0
    dry_floor = 0.0
    for step in scenario.route:
        station = scenario.line.stations[step.name]
        floor = operation.machines[step.name] * building_area_per_machine_m2(scenario, step.name)
        rate = scenario.costs.building.usd_per_m2 + (premium if station.zone == "dry_room" else 0.0)
        if station.zone == "inert":
            rate += scenario.costs.building.inert_premium_usd_per_m2
        # the dry room's floor premium sits in its own step's building line (no plant-wide dry-room item)
        assert cost.by_step_category[step.name]["building"] == pytest.approx(floor * rate * crf, rel=1e-12)
        building_capex += floor * rate
        dry_floor += floor if station.zone == "dry_room" else 0.0
    assert cost.building_capex_usd == pytest.approx(building_capex, rel=1e-12)
    assert "plant" not in cost.by_step_category or cost.by_step_category["plant"]["building"] == 0.0
    # the result names the room it priced: its floor, premium and the premium's share of the building capex
    block = cost.result_block()["dry_room"]
    assert block["floor_m2"] == pytest.approx(dry_floor, rel=1e-12) and dry_floor > 0
    assert block["premium_usd_per_m2"] == premium
    assert block["premium_capex_usd"] == pytest.approx(dry_floor * premium, rel=1e-12)
    assert "at -50 C" in block["premium_source"]


@pytest.mark.unit
def test_a_line_without_dry_room_stations_reports_no_dry_room_block():
    scenario = _scenario(**{f"line__stations__{name}__zone": "ambient"
                            for name, station in _scenario().line.stations.items() if station.zone == "dry_room"})
    operation = line_flow(scenario, {step.name: 0.98 for step in scenario.route}).operation
    assert annual_cost(operation).result_block()["dry_room"] == {}
