"""BatPaC V5 parity: the scaling law, the overhead multipliers, the baseline plant data and the fixed-yield
mode of scenarios/liion_batpac_reference.yaml, pinned to the published figures.

Sources: Argonne BatPaC V5 as published in the jbaars/Batt_Sust_Model port (MIT):
``default_manufacturing_cost_parameters.xlsx`` (sheets baseline_factors, p_values_process,
volume_ratio_mapping, default_manufacturing_rates), ``battery_cost.py`` (overhead multipliers) and
``4_PY_battery_manufacturing_v1.xlsx`` (process yields); cost-notes §1.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from twin.cost.batpac_scaling import (
    batpac_overhead_multipliers,
    capital_adjustment_factor,
    cell_yield,
    design_quantities,
    design_volumes,
    material_yield,
    scaled_processes,
    station_totals,
    volume_ratios,
)
from twin.cost.linear_model import (
    CATEGORIES,
    installed_capex_per_machine_usd,
    plant_fixed_cost,
    station_fixed_cost_per_machine,
    step_variable_cost_per_sheet,
)
from twin.cost.materials import step_material_items_per_sheet
from twin.cost.overheads import labour_overhead_rate, materials_overhead_rate
from twin.cost.scaling_law import scaled_by_exponent
from twin.scenario import load_scenario
from twin.scenario.costs import Overheads

REFERENCE = Path(__file__).resolve().parents[3] / "scenarios" / "liion_batpac_reference.yaml"

# BatPaC V5 baseline_factors (labour h/yr, capital US$ M, floor m2) and p_values_process (labour, capital,
# floor exponents) for the cell-plant processes; module and pack assembly (94 M each) are left out.
BATPAC_V5_CELL_PROCESSES = {
    "warehouse": (13000, 200, 10000, 0.7, 0.95, 0.95),
    "mixing_cathode_materials": (200000, 200, 8000, 0.9, 0.9, 0.95),
    "mixing_anode_materials": (270000, 280, 8800, 0.9, 0.9, 0.95),
    "cathode_coating_and_drying": (59000, 90, 16000, 0.7, 0.9, 0.95),
    "anode_coating_and_drying": (47000, 78, 16000, 0.7, 0.9, 0.95),
    "solvent_recovery": (17000, 36, 1100, 0.7, 0.95, 0.95),
    "cathode_calendering": (47000, 25, 2100, 0.7, 0.9, 0.95),
    "anode_calendering": (53000, 25, 2100, 0.7, 0.9, 0.95),
    "cathode_notching": (250000, 29, 3200, 0.7, 0.9, 0.95),
    "anode_notching": (250000, 29, 3200, 0.7, 0.9, 0.95),
    "vacuum_drying_cathode": (41000, 14, 1800, 0.7, 0.9, 0.95),
    "vacuum_drying_anode": (35000, 11, 1800, 0.7, 0.9, 0.95),
    "anode_slitting": (150000, 34.5, 0, 0.7, 0.9, 0.95),
    "cathode_slitting": (150000, 34.5, 0, 0.7, 0.9, 0.95),
    "cell_stacking": (530000, 130, 0, 0.9, 0.9, 0.95),
    "terminal_welding": (180000, 190, 0, 0.9, 0.9, 0.95),
    "x_ray_inspection": (180000, 14, 0, 0.9, 0.9, 0.95),
    "jelly_roll_enclosing": (55000, 11, 0, 0.9, 0.9, 0.95),
    "electrolyte_filling_and_sealing": (126000, 25, 0, 0.9, 0.9, 0.95),
    "dry_room_management": (10000, 7.3, 61000, 0.7, 0.9, 0.95),
    "cell_formation": (560000, 830, 110000, 0.7, 0.95, 0.95),
    "building_support_systems": (0, 1700, 0, 0.7, 0.95, 0.95),
    "rejected_cell_and_scrap_recycling": (38000, 9.3, 3300, 0.7, 0.9, 0.95),
    "control_lab": (48000, 16, 1300, 0.7, 0.95, 0.95),
}


@pytest.fixture(scope="module")
def reference():
    return load_scenario(REFERENCE)


@pytest.mark.unit
def test_formation_scaled_to_a_tenth_of_the_volume():
    """Issue 16: US$830 M and 560,000 h/yr at 211 M cells/yr, exponents 0.95 / 0.7 -> US$93.1 M, 111,735 h/yr."""
    capital = scaled_by_exponent(830.0, 21.1e6, 211e6, 0.95)
    labour = scaled_by_exponent(560_000.0, 21.1e6, 211e6, 0.7)
    assert round(float(capital), 1) == 93.1
    assert round(float(labour)) == 111_735
    assert float(capital) == pytest.approx(830.0 * 0.1 ** 0.95, rel=1e-12)


@pytest.mark.unit
def test_scaling_law_is_vectorised_and_refuses_a_non_positive_size():
    values = scaled_by_exponent(100.0, [1.0, 2.0, 4.0], 1.0, 0.5)
    assert list(values) == pytest.approx([100.0, 100.0 * 2 ** 0.5, 200.0], rel=1e-12)
    with pytest.raises(ValueError, match="positive"):
        scaled_by_exponent(100.0, 0.0, 1.0, 0.9)


@pytest.mark.unit
def test_batpac_v5_overhead_multipliers_as_the_port_writes_them():
    """cost-notes §1.1: materials x1.0666, labour x1.8665, capital 0.2537/yr, buildings 0.1533/yr per $."""
    multipliers = batpac_overhead_multipliers(Overheads())
    assert multipliers["materials"] == pytest.approx(1.01 * 1.056, rel=1e-12)          # 1.06656
    assert multipliers["labour"] == pytest.approx(1.7675 * 1.056, rel=1e-12)            # 1.86648
    assert multipliers["capital"] == pytest.approx((1.9 * 0.1 + 1.005 * 0.05) * 1.056, rel=1e-12)  # 0.253704
    assert multipliers["building"] == pytest.approx((1.9 * 0.05 + 1.0025 * 0.05) * 1.056, rel=1e-12)  # 0.153252
    assert round(multipliers["materials"], 4) == 1.0666
    assert round(multipliers["labour"], 4) == 1.8665
    assert round(multipliers["capital"], 4) == 0.2537
    assert round(multipliers["building"], 4) == 0.1533
    # the twin's overheads (twin.cost.overheads, unchanged) give the same labour and material multipliers
    rates = Overheads()
    assert (1 + labour_overhead_rate(rates)) * (1 + rates.warranty) == pytest.approx(multipliers["labour"], rel=1e-12)
    assert (1 + materials_overhead_rate(rates)) * (1 + rates.warranty) == pytest.approx(multipliers["materials"],
                                                                                       rel=1e-12)


@pytest.mark.unit
def test_reference_carries_batpac_v5_baseline_processes_exactly(reference):
    processes = reference.batpac.processes
    assert set(processes) == set(BATPAC_V5_CELL_PROCESSES)
    for name, (labour, capital, floor, p_labour, p_capital, p_floor) in BATPAC_V5_CELL_PROCESSES.items():
        item = processes[name]
        assert (item.labour_h_per_year, item.capital_usd_million, item.floor_area_m2) == (labour, capital, floor), name
        assert (item.labour_exponent, item.capital_exponent, item.floor_area_exponent) == (p_labour, p_capital,
                                                                                         p_floor), name
    base = reference.batpac.baseline
    assert (base.energy_kWh_per_year, base.total_cells_per_year) == (50e6, 211e6)
    assert (base.positive_electrode_m2_per_year, base.negative_electrode_m2_per_year) == (303e6, 315e6)
    assert (base.positive_active_material_kg_per_year, base.negative_active_material_kg_per_year) == (72.5e6, 49.1e6)
    assert base.positive_solvent_evaporated_kg_per_year == 36.3e6
    # baseline capital: BatPaC's US$4,206.6 M (cost-notes §1.2) less module and pack assembly (94 M each)
    assert math.fsum(v[1] for v in BATPAC_V5_CELL_PROCESSES.values()) == pytest.approx(4206.6 - 2 * 94, abs=1e-9)
    # labour: 3.649 M h/yr with module and pack assembly (170,000 h each), cost-notes §1.2 "3.65 M"
    assert math.fsum(v[0] for v in BATPAC_V5_CELL_PROCESSES.values()) == 3_649_000 - 2 * 170_000


@pytest.mark.unit
def test_batpac_v5_fixed_yields(reference):
    """4_PY_battery_manufacturing_v1.xlsx (base): slurry coating 95 %, foil slitting 92 %, filling 94 %, cell 95 %."""
    materials = reference.batpac.fixed_yields.materials
    assert materials["electrode_coating"] == {"py_am_mixing": 0.99, "py_slurry_coating": 0.95,
                                              "py_slurry_slitting": 0.99, "py_electrode_stacking": 0.99}
    assert materials["stacking"] == {"py_foil_coating": 0.99, "py_foil_slitting": 0.92, "py_electrode_stacking": 0.99}
    assert materials["electrolyte_filling"] == {"py_electrolyte_filling": 0.94, "py_separator_stacking": 0.98}
    assert reference.costs.materials.solvent_recovery_fraction == 0.995  # py_nmp_recovery
    assert cell_yield(reference) == 0.95
    assert material_yield(reference, "electrode_coating") == pytest.approx(0.99 * 0.95 * 0.99 * 0.99, rel=1e-15)
    assert material_yield(reference, "stacking") == pytest.approx(0.99 * 0.92 * 0.99, rel=1e-15)
    assert material_yield(reference, "calendering") == 1.0
    # 200 M good cells at BatPaC's cell yield need 210.5 M started (BatPaC's table rounds to 211 M)
    assert 200e6 / cell_yield(reference) == pytest.approx(210.526e6, rel=1e-5)
    assert round(200e6 / cell_yield(reference) / 1e6) == 211


@pytest.mark.unit
def test_materials_are_divided_by_the_fixed_yields(reference):
    for step_name in ("electrode_coating", "stacking", "electrolyte_filling"):
        raw = math.fsum(step_material_items_per_sheet(reference, step_name).values())
        priced = step_variable_cost_per_sheet(reference, step_name)["materials"]
        assert priced == pytest.approx(raw / material_yield(reference, step_name), rel=1e-12), step_name


@pytest.mark.unit
def test_design_volume_of_the_reference_is_the_batpac_baseline(reference):
    """50 GWh/yr of 250.8 Wh cells (4.785 mAh/cm2 x 1.436 m2 x 3.65 V) at the 95 % cell yield."""
    volumes = design_volumes(reference)
    cell_Wh = 4.785 * 10.0 * 48 * 0.2992 * 0.1 * 3.65
    assert volumes["good_cells"] == pytest.approx(50e9 / cell_Wh, rel=1e-12)
    assert volumes["total_cells"] == pytest.approx(50e9 / cell_Wh / 0.95, rel=1e-12)
    assert volumes["positive_active_material"] == pytest.approx(
        volumes["positive_electrode_area"] * 4.785 * 10.0 / 200.0, rel=1e-12)
    ratios = volume_ratios(reference)
    for driver, ratio in ratios.items():
        assert ratio == pytest.approx(1.0, abs=0.02), driver  # the baseline plant within 2 %
    formation = next(p for p in scaled_processes(reference) if p.name == "cell_formation")
    cell_Ah = 4.785 * 10.0 * 48 * 0.2992 * 0.1  # 68.7 Ah, BatPaC's baseline cell (its exceptions use 68 Ah)
    assert design_quantities(reference)["cell_capacity_Ah"] == pytest.approx(cell_Ah, rel=1e-12)
    assert formation.capital_usd == pytest.approx(830e6 * ratios["total_cells"] ** 0.95 * (cell_Ah / 68) ** 0.3,
                                                  rel=1e-12)
    assert formation.labour_h_per_year == pytest.approx(560_000 * ratios["total_cells"] ** 0.7, rel=1e-12)


@pytest.mark.unit
def test_batpac_capital_exceptions(reference):
    """cost-notes §1.2: formation x (Ah/68)^0.3 and x1.1 above 80 Ah; stacking x (Ah/68)^0.95; coater x (NMP/m2)^0.2."""
    formation = reference.batpac.processes["cell_formation"].capital_adjustments[0]
    assert capital_adjustment_factor(formation, 68.0) == 1.0
    assert capital_adjustment_factor(formation, 79.0) == pytest.approx((79 / 68) ** 0.3, rel=1e-12)
    assert capital_adjustment_factor(formation, 90.0) == pytest.approx((90 / 68) ** 0.3 * 1.1, rel=1e-12)
    stacking = reference.batpac.processes["cell_stacking"].capital_adjustments[0]
    assert capital_adjustment_factor(stacking, 136.0) == pytest.approx(2 ** 0.95, rel=1e-12)
    coater = reference.batpac.processes["cathode_coating_and_drying"].capital_adjustments[0]
    assert capital_adjustment_factor(coater, 2 * 0.11950458192929046) == pytest.approx(2 ** 0.2, rel=1e-12)
    # the reference coat evaporates BatPaC's NMP per m2 (0.1195 kg/m2) to within 0.1 %
    assert design_quantities(reference)["positive_solvent_kg_per_m2"] == pytest.approx(0.1195046, rel=1e-3)
    bigger = load_scenario(REFERENCE, overrides={"cell.format.layers_per_cell": 60,  # 85.9 Ah cells
                                                 "line.stations.formation.batch_capacity_sheets": 5000})
    formation_big = next(p for p in scaled_processes(bigger) if p.name == "cell_formation")
    ah = design_quantities(bigger)["cell_capacity_Ah"]
    ratio = volume_ratios(bigger)["total_cells"]
    assert formation_big.capital_usd == pytest.approx(830e6 * ratio ** 0.95 * (ah / 68) ** 0.3 * 1.1, rel=1e-12)


@pytest.mark.unit
def test_a_plant_at_a_tenth_of_the_volume_scales_each_process_by_its_exponent(reference):
    small = load_scenario(REFERENCE, overrides={"plant.target_output_GWh_per_year": 5.0})
    full = {p.name: p for p in scaled_processes(reference)}
    for process in scaled_processes(small):
        item = reference.batpac.processes[process.name]
        base = full[process.name]
        assert process.capital_usd == pytest.approx(base.capital_usd * 0.1 ** item.capital_exponent, rel=1e-12)
        assert process.labour_h_per_year == pytest.approx(base.labour_h_per_year * 0.1 ** item.labour_exponent,
                                                          rel=1e-12)
        assert process.floor_area_m2 == pytest.approx(base.floor_area_m2 * 0.1 ** item.floor_area_exponent,
                                                      rel=1e-12)


@pytest.mark.unit
def test_station_capital_is_batpac_capital_over_its_machines(reference):
    coating = station_totals(reference, "electrode_coating")
    assert coating.name == "cathode_coating_and_drying+anode_coating_and_drying"
    machines = reference.line.stations["electrode_coating"].machines
    assert installed_capex_per_machine_usd(reference, "electrode_coating") * machines == pytest.approx(
        coating.capital_usd, rel=1e-12)
    assert station_totals(reference, "ageing") is None  # BatPaC's formation carries the aging racks
    # plant-wide processes (warehouse, building systems, dry room, scrap recycling, control lab) are plant fixed
    plant = plant_fixed_cost(reference)
    assert plant["capital"] > 0 and plant["labour"] > 0 and plant["building"] > 0


@pytest.mark.component
def test_annual_cost_stays_linear_with_batpac_scaling(reference):
    from twin.cost.breakdown import annual_cost
    from twin.cost.line_flow import line_flow

    operation = line_flow(reference, {step.name: 1.0 for step in reference.route}).operation
    cost = annual_cost(operation)
    rebuilt = math.fsum(plant_fixed_cost(reference).values())
    for step in reference.route:
        fixed = station_fixed_cost_per_machine(reference, step.name)
        variable = step_variable_cost_per_sheet(reference, step.name)
        rebuilt += math.fsum(operation.machines[step.name] * fixed[c]
                             + operation.sheets_in_per_year[step.name] * variable[c] for c in CATEGORIES)
    assert cost.total_usd_per_year == pytest.approx(rebuilt, rel=1e-12)
    # capex = every scaled BatPaC capital + every scaled floor at the building price
    capital = math.fsum(p.capital_usd for p in scaled_processes(reference))
    floor = math.fsum(p.floor_area_m2 for p in scaled_processes(reference))
    assert cost.capex_usd == pytest.approx(capital + floor * reference.costs.building.usd_per_m2, rel=1e-12)


@pytest.mark.component
def test_equipment_capex_swing_moves_the_batpac_priced_plant(reference):
    """In BatPaC mode the processes' base capital prices the stations: the capex swing must move it.

    +20 % on every process's capital adds 20 % to the capital charge (capital scales linearly in its
    base); before, the swing touched only the stations' unused capex_usd and moved nothing.
    """
    from twin.cost.sensitivity import default_swings, swung_scenario
    from twin.evaluate import evaluate_scenario

    swing = next(s for s in default_swings(reference) if s.label == "equipment capex")
    assert any(path.startswith("batpac.processes.") for path in swing.paths)
    base = evaluate_scenario(reference)["cost"]
    high = evaluate_scenario(swung_scenario(reference, swing, "high")[0])["cost"]
    assert high["by_category"]["capital"] == pytest.approx(1.2 * base["by_category"]["capital"], rel=1e-9)
    assert high["usd_per_kwh"] > base["usd_per_kwh"]
