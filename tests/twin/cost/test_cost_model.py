"""Process-based cost model: exact decomposition, a hand calculation, monotonic responses, BatPaC rates."""

from __future__ import annotations

import math

import pytest

from twin.cost import (
    CATEGORIES,
    annual_cost,
    capital_recovery_factor,
    plant_fixed_cost,
    station_fixed_cost_per_machine,
    step_variable_cost_per_sheet,
)
from twin.cost.line_flow import line_flow, sized_line_flow
from twin.cost.materials import li_foil_usd_per_kg
from twin.cost.overheads import labour_overhead_rate, materials_overhead_rate
from twin.scenario import apply_overrides, read_scenario_document, validate_scenario
from twin.scenario.costs import Overheads

BASELINE = "scenarios/oxide_baseline.yaml"


def _document():
    return read_scenario_document(BASELINE)


def _unit_yields(scenario, value=1.0):
    return {step.name: value for step in scenario.route}


@pytest.mark.unit
def test_annual_cost_is_exactly_machines_times_fixed_plus_sheets_times_variable():
    scenario = validate_scenario(_document())
    yields = {step.name: 0.97 - 0.01 * i for i, step in enumerate(scenario.route)}
    operation = line_flow(scenario, yields).operation
    cost = annual_cost(operation)
    rebuilt = math.fsum(plant_fixed_cost(scenario).values())
    for step in scenario.route:
        fixed = station_fixed_cost_per_machine(scenario, step.name)
        variable = step_variable_cost_per_sheet(scenario, step.name)
        rebuilt += math.fsum(operation.machines[step.name] * fixed[c]
                             + operation.sheets_in_per_year[step.name] * variable[c]
                             for c in CATEGORIES)
    assert cost.total_usd_per_year == pytest.approx(rebuilt, rel=1e-12)
    assert math.fsum(cost.by_step_usd_per_year.values()) == pytest.approx(cost.total_usd_per_year, rel=1e-12)
    assert math.fsum(cost.by_category_usd_per_year.values()) == pytest.approx(cost.total_usd_per_year, rel=1e-12)
    assert math.fsum(cost.by_step_usd_per_kwh.values()) == pytest.approx(cost.usd_per_kwh, rel=1e-12)
    assert math.fsum(cost.by_category_usd_per_kwh.values()) == pytest.approx(cost.usd_per_kwh, rel=1e-12)


@pytest.mark.component
def test_usd_per_m2_matches_hand_calculation_at_full_yield_without_variation():
    """Synthetic line: only capex, labour, Li foil, collectors and pouch cost anything; no scrap."""
    document = _document()
    overrides = {
        "cell.format.sheet_length_mm": 300, "cell.format.sheet_width_mm": 200, "cell.format.cells_per_sheet": 2,
        "cell.format.cell_length_mm": 190, "cell.format.cell_width_mm": 140, "cell.format.layers_per_cell": 10,
        "cell.anode.thickness_um": 20,
        "line.shifts.shifts_per_day": 3, "line.shifts.hours_per_shift": 8, "line.shifts.days_per_week": 7,
        "line.shifts.holidays_per_year": 25,
        "costs.utilities.electricity_usd_per_kWh": 0.0, "costs.labour.usd_per_hour": 40.0,
        "costs.labour.indirect_fraction": 0.0, "costs.capital.cost_of_capital": 0.0,
        "costs.capital.equipment_life_years": 10, "costs.capital.maintenance_fraction_of_capex": 0.0,
        "costs.capital.installation_factor": 1.0, "costs.building.usd_per_m2": 0.0,
        "costs.building.dry_room_premium_usd_per_m2": 0.0, "costs.building.inert_premium_usd_per_m2": 0.0,
        "costs.materials.cover_powder_kg_per_m2": 0.0, "costs.materials.li_foil.usd_per_kg_at_reference": 150.0,
        "costs.materials.li_foil.thickness_exponent": 0.0,
        "costs.materials.current_collector_usd_per_m2": {"aluminium": 0.4, "copper": 1.3},
        "costs.materials.packaging_usd_per_cell": 0.6,
        "costs.overheads": {name: 0.0 for name in Overheads.model_fields},
        "variation": {},
        # one machine per station queues ~1 day in front of the laminator: at the driest dew point the
        # Li2CO3 that regrows meanwhile (twin.sheet_exposure) stays negligible, so nothing is scrapped
        "line.zones.dry_room.dew_point_C": -80,
    }
    for name in document["costs"]["materials"]["usd_per_kg"]:
        overrides[f"costs.materials.usd_per_kg.{name}"] = 0.0
    for index, _ in enumerate(document["route"]):
        overrides[f"route[{index}].defect_density_per_m2"] = 0.0
    # the end-of-line tester's capacity grading prices its channels on top of the station (twin.grading_tester):
    # off here, so every machine costs the 1 M USD of the hand calculation
    overrides["route.end_of_line_test.capacity_grading.channel_price_usd"] = None
    for name in document["line"]["stations"]:
        overrides[f"line.stations.{name}.capex_usd"] = 1_000_000
        overrides[f"line.stations.{name}.operators_per_shift"] = 1
        overrides[f"line.stations.{name}.machines"] = 1
    scenario = validate_scenario(apply_overrides(document, overrides))
    from twin.evaluate import evaluate_details

    evaluation = evaluate_details(scenario)
    assert evaluation.result["yield"]["overall"] == 1.0
    stations = len(scenario.route)                                    # 11 stations, one machine each
    hours = 3 * 8 * (365 - 25)                                        # 8160 h/yr
    fixed_per_year = stations * (1_000_000 / 10 + 1 * hours * 40.0)   # straight-line capex + one operator
    li_foil = 20e-6 * (0.300 * 0.200) * 534.0 * 150.0                 # m x m2 x kg/m3 x USD/kg per sheet
    collectors = 2 * (0.190 * 0.140) * (0.4 + 1.3)                    # Al + Cu per cell layer, 2 per sheet
    pouch = 0.6 / (10 / 2)                                            # USD/cell over 5 sheets per cell
    sheets = evaluation.flow.operation.sheets_in_per_year[scenario.route[0].name]
    good_m2 = sheets * 2 * (0.190 * 0.140)
    expected = (fixed_per_year + sheets * (li_foil + collectors + pouch)) / good_m2
    assert evaluation.result["cost"]["usd_per_m2"] == pytest.approx(expected, rel=1e-9)


@pytest.mark.unit
def test_lower_yield_raises_usd_per_kwh():
    scenario = validate_scenario(_document())
    high = annual_cost(line_flow(scenario, _unit_yields(scenario, 0.99)).operation).usd_per_kwh
    low = annual_cost(line_flow(scenario, _unit_yields(scenario, 0.95)).operation).usd_per_kwh
    assert low > high


@pytest.mark.unit
def test_more_li_excess_raises_material_cost():
    document = _document()
    kiln = next(s["name"] for s in document["route"] if s["kind"] == "sintering" and s["layer"] == "electrolyte")
    costs = []
    for excess in (0.05, 0.10, 0.20):
        scenario = validate_scenario(apply_overrides(document, {f"route.{kiln}.li_excess_li2co3_wt_fraction": excess}))
        per_sheet = step_variable_cost_per_sheet(scenario, kiln)["materials"]
        yearly = annual_cost(
            line_flow(scenario, _unit_yields(scenario)).operation).by_category_usd_per_year["materials"]
        costs.append((per_sheet, yearly))
    assert costs[0][0] < costs[1][0] < costs[2][0]
    assert costs[0][1] < costs[1][1] < costs[2][1]


@pytest.mark.unit
def test_doubling_plant_output_lowers_usd_per_kwh():
    scenario = validate_scenario(_document())
    yields = _unit_yields(scenario, 0.98)
    for target in (0.05, 0.1, 0.5):
        small = annual_cost(sized_line_flow(scenario, yields, target).operation)
        large = annual_cost(sized_line_flow(scenario, yields, 2 * target).operation)
        assert large.kwh_per_year == pytest.approx(2 * small.kwh_per_year, rel=1e-9)
        assert large.usd_per_kwh < small.usd_per_kwh


@pytest.mark.unit
def test_sized_plant_has_capacity_for_its_target():
    scenario = validate_scenario(_document())
    flow = sized_line_flow(scenario, _unit_yields(scenario, 0.95), 1.0)
    assert flow.operation.gwh_per_year == pytest.approx(1.0, rel=1e-9)
    assert max(flow.operation.utilization.values()) <= 1.0 + 1e-9


@pytest.mark.unit
def test_batpac_v5_overhead_multipliers():
    """cost-notes §1.1 (BatPaC V5 via jbaars/Batt_Sust_Model): materials x1.0666, direct labour x1.8665."""
    rates = Overheads()
    assert (1 + materials_overhead_rate(rates)) * (1 + rates.warranty) == pytest.approx(1.0666, abs=5e-5)
    assert (1 + labour_overhead_rate(rates)) * (1 + rates.warranty) == pytest.approx(1.8665, abs=5e-5)


@pytest.mark.unit
def test_capital_recovery_factor():
    # 8 %, 10 years: 0.08 * 1.08**10 / (1.08**10 - 1) = 0.149029 (standard annuity table)
    assert capital_recovery_factor(0.08, 10) == pytest.approx(0.1490295, rel=1e-6)
    assert capital_recovery_factor(0.0, 20) == pytest.approx(0.05)


@pytest.mark.unit
def test_li_foil_price_rises_as_foil_thins():
    scenario = validate_scenario(_document())
    law = scenario.costs.materials.li_foil
    assert li_foil_usd_per_kg(scenario, law.reference_thickness_um) == pytest.approx(law.usd_per_kg_at_reference)
    thin = li_foil_usd_per_kg(scenario, law.reference_thickness_um / 5)
    assert thin == pytest.approx(law.usd_per_kg_at_reference * 5 ** law.thickness_exponent)
    assert thin > law.usd_per_kg_at_reference
