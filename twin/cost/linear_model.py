"""The cost model's linear building blocks: cost per machine, per sheet entering a step, and per plant.

Everything the plant costs is ``sum(machines x fixed) + sum(sheets_in x variable) + plant fixed``
(docs/architecture.md), which is what lets the optimiser build a MILP on these functions:

- per machine and year: idle energy, dry-room / inert-zone conditioning of its floor, labour, capital
  (installed capex x capital recovery factor), building (floor x layout factor x price x CRF),
  maintenance, and the BatPaC overheads on those;
- per sheet entering a step: materials (twin.cost.materials), run energy above idle
  (twin.capacity: furnace energy from the temperature profile, power x time otherwise), overheads.

Idle draw is split exactly: a machine draws ``idle_kW`` over all operating hours (fixed) and
``run_kW - idle_kW`` while it processes (per sheet), so idle + run energy adds to the station total.
"""

from __future__ import annotations

from process_models.dry_room import dry_room_power_W_per_m2, regeneration_J_per_kg_water
from twin.capacity import StationTiming, operating_hours_per_year, station_timing
from twin.cost.batpac_scaling import material_yield, plant_level_totals, station_totals
from twin.cost.dry_room_capex import dry_room_premium_usd_per_m2
from twin.cost.materials import step_material_items_per_sheet
from twin.cost.overheads import overhead_usd
from twin.scenario import Scenario
from twin.scenario.machine_sizes import installed_station
from twin.scenario.route import RouteStep

CATEGORIES = ("materials", "energy", "labour", "capital", "building", "maintenance", "overhead")
PLANT_STEP = "plant"
# A dry room or inert enclosure is conditioned around the clock, not only in shifts: letting it warm
# and wet up over a weekend costs a long dry-down (assumption, as in dry-room practice).
CONDITIONED_HOURS_PER_YEAR = 8760.0


def capital_recovery_factor(rate: float, life_years: float) -> float:
    """Annual payment per $ invested: r (1+r)^n / ((1+r)^n - 1); 1/n when r = 0 [1/yr]."""
    if rate == 0:
        return 1.0 / life_years
    growth = (1.0 + rate) ** life_years
    return rate * growth / (growth - 1.0)


def installed_capex_per_machine_usd(scenario: Scenario, step_name: str) -> float:
    """Installed price of one machine; with BatPaC scaling, the station's scaled capital over its machines."""
    station = installed_station(scenario, step_name)
    batpac = station_totals(scenario, step_name)
    if batpac is not None:
        return batpac.capital_usd / station.machines * scenario.costs.capital.installation_factor
    return station.capex_usd * scenario.costs.capital.installation_factor


def building_area_per_machine_m2(scenario: Scenario, step_name: str) -> float:
    """Building floor one machine needs: its footprint x layout factor (aisles, buffers, services);
    with BatPaC scaling, the station's scaled floor area (BatPaC's plant floor, layout included) over its machines."""
    station = installed_station(scenario, step_name)
    batpac = station_totals(scenario, step_name)
    if batpac is not None:
        return batpac.floor_area_m2 / station.machines
    return station.floor_area_m2 * scenario.costs.building.floor_area_factor


def direct_labour_h_per_machine_per_year(scenario: Scenario, step_name: str) -> float:
    """Operator hours one machine takes a year: operators per shift x hours; with BatPaC scaling, the
    station's scaled labour hours over its machines."""
    station = installed_station(scenario, step_name)
    batpac = station_totals(scenario, step_name)
    if batpac is not None:
        return batpac.labour_h_per_year / station.machines
    return station.operators_per_shift * operating_hours_per_year(scenario)


def building_cost_per_machine_usd(scenario: Scenario, step_name: str) -> float:
    """Construction cost of one machine's floor, with the dry-room premium at the room's dew point
    (twin.cost.dry_room_capex) or the inert premium of its zone."""
    building = scenario.costs.building
    zone = scenario.line.stations[step_name].zone
    premium = 0.0
    if zone == "dry_room":  # the user's figure, or the dew-point law (twin.cost.dry_room_capex)
        premium = dry_room_premium_usd_per_m2(scenario)
    elif zone == "inert":
        premium = building.inert_premium_usd_per_m2
    return building_area_per_machine_m2(scenario, step_name) * (building.usd_per_m2 + premium)


def dry_room_kW_per_m2(scenario: Scenario) -> float:
    """Conditioning power per m2 of dry-room floor [kW/m2]: metered, or from the dew point and the air.

    ``line.zones.dry_room.energy_kW_per_m2`` when given; otherwise the desiccant balance of
    process_models.dry_room (water in the make-up air x regeneration energy + fan power), the regeneration
    energy per kg of water ``regeneration_MJ_per_kg_water`` (at -40 C) scaled to the room's dew point.
    """
    dry_room = scenario.line.zones.dry_room
    if dry_room is None:
        return 0.0
    if dry_room.energy_kW_per_m2 is not None:
        return dry_room.energy_kW_per_m2
    room_K = dry_room.dew_point_C + 273.15
    outdoor_K = dry_room.outdoor_dew_point_C + 273.15
    # the schema's figure holds at -40 C; a drier room regenerates hotter (process_models.dry_room)
    regeneration = regeneration_J_per_kg_water(room_K, outdoor_K, dry_room.regeneration_MJ_per_kg_water * 1e6)
    return float(dry_room_power_W_per_m2(
        room_K, outdoor_K, dry_room.make_up_air_m3_per_h_per_m2, regeneration,
        dry_room.recirculation_m3_per_h_per_m2, dry_room.fan_kW_per_m3_per_s * 1e3)) * 1e-3


def conditioning_kWh_per_machine_per_year(scenario: Scenario, step_name: str) -> float:
    """Dry-room conditioning energy of one machine's floor [kWh/yr] (:func:`dry_room_kW_per_m2` x floor x hours)."""
    station = scenario.line.stations[step_name]
    if station.zone != "dry_room" or scenario.line.zones.dry_room is None:
        return 0.0
    return dry_room_kW_per_m2(scenario) * building_area_per_machine_m2(scenario, step_name) * CONDITIONED_HOURS_PER_YEAR


def idle_kWh_per_machine_per_year(scenario: Scenario, step_name: str) -> float:
    """Idle draw of one machine over all operating hours [kWh/yr]."""
    return installed_station(scenario, step_name).idle_power_kW * operating_hours_per_year(scenario)


def run_kWh_above_idle_per_sheet(scenario: Scenario, step_name: str, step: RouteStep | None = None,
                                 timing: StationTiming | None = None) -> float:
    """Energy one sheet costs on top of the idle draw [kWh/sheet].

    The unit energy (furnace heat balance for kilns, power x time otherwise, from twin.capacity) minus
    what the machine would have drawn idle over the same processing time. ``timing``: the station's
    timing for this recipe when the caller has it already (the optimiser's candidate figures).
    """
    timing = station_timing(scenario, step_name, step=step) if timing is None else timing
    idle_kWh = timing.idle_power_kW * timing.unit_process_time_s / 3600.0
    return (timing.unit_energy_kWh - idle_kWh) / timing.unit_sheets


def station_energy_kWh_per_year(scenario: Scenario, step_name: str, machines: float, sheets_in_per_year: float,
                                step: RouteStep | None = None) -> float:
    """Electricity a station draws in a year (machines only; dry-room conditioning is separate)."""
    return (machines * idle_kWh_per_machine_per_year(scenario, step_name)
            + sheets_in_per_year * run_kWh_above_idle_per_sheet(scenario, step_name, step))


def _with_overhead(scenario: Scenario, costs: dict[str, float], direct_labour: float,
                   depreciation: float) -> dict[str, float]:
    base_total = sum(costs[c] for c in CATEGORIES if c != "overhead")
    costs["overhead"] = overhead_usd(
        scenario.costs.overheads, direct_labour=direct_labour, materials=costs["materials"],
        depreciation=depreciation, other_variable=costs["energy"] + costs["maintenance"], base_total=base_total,
    )
    return costs


def station_fixed_cost_per_machine(scenario: Scenario, step_name: str) -> dict[str, float]:
    """Yearly cost of owning and staffing one machine of ``step_name``, by category [USD/yr per machine]."""
    station = installed_station(scenario, step_name)
    costs_in = scenario.costs
    installed = installed_capex_per_machine_usd(scenario, step_name)
    building = building_cost_per_machine_usd(scenario, step_name)
    capital = costs_in.capital
    energy_kWh = (idle_kWh_per_machine_per_year(scenario, step_name)
                  + conditioning_kWh_per_machine_per_year(scenario, step_name))
    inert_m3 = 0.0
    if station.zone == "inert":
        inert_m3 = (scenario.line.zones.inert_gas_m3_per_h_per_m2 * building_area_per_machine_m2(scenario, step_name)
                    * CONDITIONED_HOURS_PER_YEAR)
    direct_labour = direct_labour_h_per_machine_per_year(scenario, step_name) * costs_in.labour.usd_per_hour
    costs = {
        "materials": 0.0,
        "energy": (energy_kWh * costs_in.utilities.electricity_usd_per_kWh
                   + inert_m3 * costs_in.utilities.inert_gas_usd_per_m3),
        "labour": direct_labour * (1.0 + costs_in.labour.indirect_fraction),
        "capital": installed * capital_recovery_factor(capital.cost_of_capital, capital.equipment_life_years),
        "building": building * capital_recovery_factor(capital.cost_of_capital, capital.building_life_years),
        # insurance of the machine and its floor rides on the machine (costs.plant_items), booked with upkeep
        "maintenance": (installed * capital.maintenance_fraction_of_capex
                        + (installed + building) * costs_in.plant_items.insurance_fraction_of_capex),
        "overhead": 0.0,
    }
    depreciation = installed / capital.equipment_life_years + building / capital.building_life_years
    return _with_overhead(scenario, costs, direct_labour, depreciation)


def step_variable_cost_per_sheet(scenario: Scenario, step_name: str, step: RouteStep | None = None,
                                 timing: StationTiming | None = None,
                                 materials_usd_per_sheet=None) -> dict[str, float]:
    """Cost of one sheet entering ``step_name``, by category [USD/sheet]; ``step`` may be a modified recipe,
    ``timing`` its station timing when the caller has it already. ``materials_usd_per_sheet``: the
    summed bill of materials (twin.cost.materials) when the caller has it; with it and a timing over
    many recipes (twin.capacity.station_timing_over_recipes) every category is an array over them."""
    if materials_usd_per_sheet is None:
        materials_usd_per_sheet = sum(step_material_items_per_sheet(scenario, step_name, step).values())
    # fixed-yield mode (BatPaC): the material is bought for the share the step's yields lose as well
    materials = materials_usd_per_sheet / material_yield(scenario, step_name)
    energy = (run_kWh_above_idle_per_sheet(scenario, step_name, step, timing)
              * scenario.costs.utilities.electricity_usd_per_kWh)
    costs = {"materials": materials, "energy": energy, "labour": 0.0, "capital": 0.0, "building": 0.0,
             "maintenance": 0.0, "overhead": 0.0}
    return _with_overhead(scenario, costs, direct_labour=0.0, depreciation=0.0)


def plant_fixed_cost(scenario: Scenario) -> dict[str, float]:
    """Yearly cost that no machine count or sheet flow changes, by category [USD/yr].

    The plant-level items of ``costs.plant_items`` (land, site services, QA lab and its staff, IT,
    insurance of those), with the BatPaC overheads on their labour and depreciation
    (twin.cost.plant_items); all zero when the scenario gives none.
    """
    from twin.cost.plant_items import plant_items_cost_by_category

    items, direct_labour, depreciation = plant_items_cost_by_category(scenario)
    costs = {category: items.get(category, 0.0) for category in CATEGORIES}
    batpac = plant_level_totals(scenario)
    if batpac is not None:  # plant-wide BatPaC processes: warehouse, building systems, control lab...
        capital = scenario.costs.capital
        building_usd = batpac.floor_area_m2 * scenario.costs.building.usd_per_m2
        labour = batpac.labour_h_per_year * scenario.costs.labour.usd_per_hour
        costs["labour"] += labour * (1.0 + scenario.costs.labour.indirect_fraction)
        costs["capital"] += batpac.capital_usd * capital_recovery_factor(capital.cost_of_capital,
                                                                         capital.equipment_life_years)
        costs["building"] += building_usd * capital_recovery_factor(capital.cost_of_capital,
                                                                    capital.building_life_years)
        costs["maintenance"] += batpac.capital_usd * capital.maintenance_fraction_of_capex
        direct_labour += labour
        depreciation += batpac.capital_usd / capital.equipment_life_years + building_usd / capital.building_life_years
    if not any(costs.values()):
        return costs
    return _with_overhead(scenario, costs, direct_labour, depreciation)


__all__ = [
    "CATEGORIES",
    "CONDITIONED_HOURS_PER_YEAR",
    "PLANT_STEP",
    "building_area_per_machine_m2",
    "building_cost_per_machine_usd",
    "capital_recovery_factor",
    "conditioning_kWh_per_machine_per_year",
    "direct_labour_h_per_machine_per_year",
    "dry_room_kW_per_m2",
    "idle_kWh_per_machine_per_year",
    "installed_capex_per_machine_usd",
    "plant_fixed_cost",
    "run_kWh_above_idle_per_sheet",
    "station_energy_kWh_per_year",
    "station_fixed_cost_per_machine",
    "step_variable_cost_per_sheet",
]
