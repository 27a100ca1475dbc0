"""Location presets, plant-level items and the recycling credit: exact changes to the cost lines."""

from __future__ import annotations

import math

import pytest

from twin.cost import (
    CATEGORIES,
    annual_cost,
    plant_fixed_cost,
    station_fixed_cost_per_machine,
    step_variable_cost_per_sheet,
)
from twin.cost.line_flow import line_flow
from twin.cost.plant_items import recycling_credit_per_scrapped_sheet
from twin.scenario import ScenarioError, apply_overrides, read_scenario_document, validate_scenario
from twin.scenario.location import LOCATIONS, apply_location

BASELINE = "scenarios/oxide_baseline.yaml"


def _cost(scenario, yield_value=1.0):
    return annual_cost(line_flow(scenario, {s.name: yield_value for s in scenario.route}).operation)


@pytest.mark.component
@pytest.mark.parametrize("location", sorted(LOCATIONS))
def test_location_preset_scales_the_labour_and_electricity_lines_exactly(location):
    document = read_scenario_document(BASELINE)
    home = validate_scenario(document)
    placed = validate_scenario(apply_location(document, location))
    preset = LOCATIONS[location].values
    before, after = _cost(home).by_category_usd_per_year, _cost(placed).by_category_usd_per_year
    # the same machines run the same hours: labour is wage x hours, energy is kWh x price (no inert gas here)
    assert after["labour"] / before["labour"] == pytest.approx(
        preset["labour_usd_per_hour"] / home.costs.labour.usd_per_hour, rel=1e-12)
    assert after["energy"] / before["energy"] == pytest.approx(
        preset["electricity_usd_per_kWh"] / home.costs.utilities.electricity_usd_per_kWh, rel=1e-12)
    assert placed.costs.capital.cost_of_capital == preset["cost_of_capital"]
    assert placed.costs.building.usd_per_m2 == preset["building_usd_per_m2"]


@pytest.mark.unit
def test_location_field_fills_what_the_scenario_leaves_out_and_explicit_values_win():
    document = read_scenario_document(BASELINE)
    del document["costs"]["labour"]["usd_per_hour"]
    document["costs"]["location"] = "germany"
    scenario = validate_scenario(document)
    assert scenario.costs.labour.usd_per_hour == LOCATIONS["germany"].values["labour_usd_per_hour"]
    assert scenario.costs.utilities.electricity_usd_per_kWh == 0.10   # written in the scenario: kept


@pytest.mark.unit
def test_unknown_location_names_the_field_and_the_presets():
    document = apply_overrides(read_scenario_document(BASELINE), {"costs.location": "atlantis"})
    with pytest.raises(ScenarioError, match=r"costs.location: 'atlantis' is not a location preset; allowed china"):
        validate_scenario(document)
    with pytest.raises(ScenarioError, match="--location: 'atlantis'"):
        apply_location(read_scenario_document(BASELINE), "atlantis")


@pytest.mark.component
def test_plant_items_are_priced_by_hand():
    document = apply_overrides(read_scenario_document(BASELINE), {
        "costs.plant_items": {"land_usd": 1e6, "it_usd_per_year": 2e5}})
    scenario = validate_scenario(document)
    items = plant_fixed_cost(scenario)
    rate = scenario.costs.capital.cost_of_capital
    # land earns the cost of capital (building); IT licences are upkeep; warranty on everything
    warranty = scenario.costs.overheads.warranty
    other = scenario.costs.overheads.profit_on_investment * scenario.costs.overheads.working_capital_on_variable_cost
    assert items["building"] == pytest.approx(1e6 * rate, rel=1e-12)
    assert items["maintenance"] == pytest.approx(2e5, rel=1e-12)
    base = 1e6 * rate + 2e5
    assert items["overhead"] == pytest.approx(2e5 * other + warranty * (base + 2e5 * other), rel=1e-12)
    cost = _cost(scenario)
    assert cost.by_step_usd_per_year["plant"] == pytest.approx(math.fsum(items.values()), rel=1e-12)
    assert cost.capex_usd == pytest.approx(_cost(validate_scenario(read_scenario_document(BASELINE))).capex_usd + 1e6)


@pytest.mark.component
def test_insurance_rides_on_each_machine():
    base = validate_scenario(read_scenario_document(BASELINE))
    insured = validate_scenario(apply_overrides(read_scenario_document(BASELINE),
                                                {"costs.plant_items": {"insurance_fraction_of_capex": 0.01}}))
    from twin.cost.linear_model import building_cost_per_machine_usd, installed_capex_per_machine_usd

    for step in base.route:
        extra = (station_fixed_cost_per_machine(insured, step.name)["maintenance"]
                 - station_fixed_cost_per_machine(base, step.name)["maintenance"])
        assert extra == pytest.approx(0.01 * (installed_capex_per_machine_usd(base, step.name)
                                              + building_cost_per_machine_usd(base, step.name)), rel=1e-9)


@pytest.mark.component
def test_recycling_credit_is_recovered_li_and_electrolyte_per_scrapped_sheet():
    document = apply_overrides(read_scenario_document(BASELINE), {
        "costs.recycling": {"li_recovery_fraction": 0.8, "electrolyte_recovery_fraction": 0.5, "value_fraction": 0.5}})
    scenario = validate_scenario(document)
    from process_models.constants import LI_METAL_DENSITY_KG_PER_M3
    from twin.cost.materials import layer_powder_kg_per_sheet

    last = len(scenario.route)
    li_kg = scenario.cell.anode.thickness_um * 1e-6 * scenario.sheet_area_m2 * LI_METAL_DENSITY_KG_PER_M3
    electrolyte_kg = layer_powder_kg_per_sheet(scenario, "electrolyte", last)
    prices = scenario.costs.materials.usd_per_kg
    expected = 0.5 * (0.8 * li_kg * prices["li_metal"] + 0.5 * electrolyte_kg * prices["llzo_ta"])
    assert recycling_credit_per_scrapped_sheet(scenario, scenario.route[-1].name) == pytest.approx(expected, rel=1e-12)
    assert recycling_credit_per_scrapped_sheet(scenario, scenario.route[0].name) == pytest.approx(
        0.5 * 0.5 * layer_powder_kg_per_sheet(scenario, "electrolyte", 1) * prices["llzo_ta"], rel=1e-12)
    # 10 % scrap at every step: materials fall by exactly the credit of the scrapped sheets
    operation = line_flow(scenario, {s.name: 0.9 for s in scenario.route}).operation
    plain = validate_scenario(read_scenario_document(BASELINE))
    with_credit = annual_cost(operation).by_category_usd_per_year["materials"]
    without = annual_cost(line_flow(plain, {s.name: 0.9 for s in plain.route}).operation).by_category_usd_per_year[
        "materials"]
    credit = math.fsum((operation.sheets_in_per_year[s.name] - operation.sheets_good_out_per_year[s.name])
                       * recycling_credit_per_scrapped_sheet(scenario, s.name) for s in scenario.route)
    assert credit > 0
    assert without - with_credit == pytest.approx(credit, rel=1e-9)


@pytest.mark.component
def test_cost_stays_machines_times_fixed_plus_sheets_times_variable_plus_plant_items():
    scenario = validate_scenario(read_scenario_document("scenarios/gigafactory.yaml"))   # has plant items
    operation = line_flow(scenario, {s.name: 0.97 for s in scenario.route}).operation
    cost = annual_cost(operation)
    rebuilt = math.fsum(plant_fixed_cost(scenario).values())
    for step in scenario.route:
        fixed = station_fixed_cost_per_machine(scenario, step.name)
        variable = step_variable_cost_per_sheet(scenario, step.name)
        rebuilt += math.fsum(operation.machines[step.name] * fixed[c] + operation.sheets_in_per_year[step.name]
                             * variable[c] for c in CATEGORIES)
        rebuilt -= ((operation.sheets_in_per_year[step.name] - operation.sheets_good_out_per_year[step.name])
                    * recycling_credit_per_scrapped_sheet(scenario, step.name))
    assert cost.total_usd_per_year == pytest.approx(rebuilt, rel=1e-12)
