"""Annual cost of a plant operation, by step and category, and its unit costs ($/kWh, $/m2, $/cell)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from twin.cost.batpac_scaling import plant_level_totals
from twin.cost.dry_room_capex import dry_room_premium_usd_per_m2, premium_source
from twin.cost.linear_model import (
    CATEGORIES,
    PLANT_STEP,
    building_area_per_machine_m2,
    building_cost_per_machine_usd,
    conditioning_kWh_per_machine_per_year,
    installed_capex_per_machine_usd,
    plant_fixed_cost,
    station_fixed_cost_per_machine,
    step_variable_cost_per_sheet,
)
from twin.cost.plant_items import plant_items_capex_usd, recycling_credit_per_scrapped_sheet
from twin.operation import PlantOperation
from twin.seedless import SeedlessCache

# Cost of bad cells shipped (costs.quality.escape_usd_per_cell), booked at the check that missed them:
# a category of its own beside CATEGORIES, outside the overheads (it is a claim, not a production cost).
ESCAPES = "escapes"
REPORTED_CATEGORIES = CATEGORIES + (ESCAPES,)


def _per(amount: float, units: float) -> float:
    return amount / units if units > 0 else math.inf


@dataclass
class CostBreakdown:
    """Yearly plant cost [USD/yr] by step and category, with the flows it is divided by."""

    by_step_category: dict[str, dict[str, float]]
    equipment_capex_usd: float
    building_capex_usd: float
    kwh_per_year: float
    good_m2_per_year: float
    good_cells_per_year: float
    scrap_value_usd_per_year: dict[str, float] = field(default_factory=dict)
    plant_items_capex_usd: float = 0.0        # land, site services, QA lab, IT (costs.plant_items)
    # recovered Li and electrolyte of the scrap (costs.recycling), already netted out of each step's materials
    recycling_credit_usd_per_year: dict[str, float] = field(default_factory=dict)
    escape_usd_per_cell: float = 0.0          # the price of one bad cell shipped (costs.quality)
    # the dry room's floor and premium (twin.cost.dry_room_capex); its cost sits in each dry-room step's lines
    dry_room: dict = field(default_factory=dict)

    @property
    def total_usd_per_year(self) -> float:
        return math.fsum(v for step in self.by_step_category.values() for v in step.values())

    @property
    def capex_usd(self) -> float:
        """Installed equipment plus building construction plus plant-level items [USD]."""
        return self.equipment_capex_usd + self.building_capex_usd + self.plant_items_capex_usd

    @property
    def by_step_usd_per_year(self) -> dict[str, float]:
        return {step: math.fsum(costs.values()) for step, costs in self.by_step_category.items()}

    @property
    def by_category_usd_per_year(self) -> dict[str, float]:
        return {c: math.fsum(costs.get(c, 0.0) for costs in self.by_step_category.values())
                for c in REPORTED_CATEGORIES}

    @property
    def usd_per_kwh(self) -> float:
        return _per(self.total_usd_per_year, self.kwh_per_year)

    @property
    def usd_per_m2(self) -> float:
        """Per m2 of good cell layer (electrolyte area in finished cells)."""
        return _per(self.total_usd_per_year, self.good_m2_per_year)

    @property
    def usd_per_cell(self) -> float:
        return _per(self.total_usd_per_year, self.good_cells_per_year)

    @property
    def by_step_usd_per_kwh(self) -> dict[str, float]:
        return {step: _per(v, self.kwh_per_year) for step, v in self.by_step_usd_per_year.items()}

    @property
    def by_category_usd_per_kwh(self) -> dict[str, float]:
        return {c: _per(v, self.kwh_per_year) for c, v in self.by_category_usd_per_year.items()}

    def usd_per_m2_of_steps(self, steps: list[str]) -> float:
        """Cost of a subset of steps per m2 of good cell layer (e.g. the electrolyte-layer steps)."""
        return _per(math.fsum(self.by_step_usd_per_year[s] for s in steps), self.good_m2_per_year)

    def result_block(self) -> dict:
        """The ``cost`` block of the shared result keys, plus detail tables."""
        return {
            "usd_per_kwh": self.usd_per_kwh,
            "usd_per_m2": self.usd_per_m2,
            "usd_per_cell": self.usd_per_cell,
            "capex_usd": self.capex_usd,
            "by_step": self.by_step_usd_per_kwh,
            "by_category": self.by_category_usd_per_kwh,
            "equipment_capex_usd": self.equipment_capex_usd,
            "building_capex_usd": self.building_capex_usd,
            "total_usd_per_year": self.total_usd_per_year,
            "by_step_category_usd_per_kwh": {
                step: {c: _per(v, self.kwh_per_year) for c, v in costs.items()}
                for step, costs in self.by_step_category.items()
            },
            "scrap_value_usd_per_kwh": {
                s: _per(v, self.kwh_per_year) for s, v in self.scrap_value_usd_per_year.items()
            },
            "plant_items_capex_usd": self.plant_items_capex_usd,
            "escape_usd_per_cell": self.escape_usd_per_cell,
            "dry_room": dict(self.dry_room),
            # None without good output (no kWh to divide by; twin.no_output)
            "recycling_credit_usd_per_kwh": (math.fsum(self.recycling_credit_usd_per_year.values()) / self.kwh_per_year
                                             if self.kwh_per_year > 0 else None),
        }


def scrapped_sheet_equivalents(operation: PlantOperation) -> dict[str, float]:
    """Scrap per year booked at each step, in sheet-equivalents: the one quantity every scrap cost prices.

    The sheets the step scrapped whole, the cell pieces it killed one by one on sheets that went on (pieces /
    pieces per sheet, twin.piece_yield) and the good cellmates lost in the cells it rejected after stacking.
    A piece is valued like a whole sheet scrapped at the same step, per piece: it carries what every step up
    to and including this one spent on its sheet (what later steps spend on it while it rides on its sheet
    to the cutting step is in their own cost, not in this scrap).
    """
    cellmates = operation.cellmate_sheets_by_step()
    single = operation.single_piece_sheets_per_year
    return {step.name: max(operation.sheets_in_per_year[step.name] - operation.sheets_good_out_per_year[step.name],
                           0.0) + single.get(step.name, 0.0) + cellmates.get(step.name, 0.0)
            for step in operation.scenario.route}


def _scrap_value(operation: PlantOperation, variable: dict[str, dict[str, float]]) -> dict[str, float]:
    """Variable value (materials + run energy and their overheads) lost in the scrap of each step.

    A sheet-equivalent scrapped at step k (:func:`scrapped_sheet_equivalents`) carries what every step up
    to and including k spent on it.
    """
    value_per_sheet = 0.0
    lost: dict[str, float] = {}
    scrapped = scrapped_sheet_equivalents(operation)
    for step in operation.scenario.route:
        value_per_sheet += math.fsum(variable[step.name].values())
        lost[step.name] = scrapped[step.name] * value_per_sheet
    return lost


@dataclass(frozen=True)
class _StationCosts:
    """One station's figures that depend on the scenario alone (not on its flows or its seed)."""

    fixed_per_machine: dict[str, float]       # station_fixed_cost_per_machine
    variable_per_sheet: dict[str, float]      # step_variable_cost_per_sheet, the scenario's own recipe
    capex_per_machine_usd: float
    building_per_machine_usd: float
    conditioning_kWh_per_machine: float       # dry-room conditioning of one machine's floor [kWh/yr]
    dry_room_m2_per_machine: float            # one machine's dry-room floor (0 outside the dry room) [m2]


@dataclass(frozen=True)
class _ScenarioCosts:
    stations: dict[str, _StationCosts]
    batpac_plant: object                      # plant_level_totals: a ScaledProcess or None
    plant_fixed: dict[str, float]
    plant_items_capex_usd: float


# Per scenario without its seed (twin.seedless): every figure above reads the scenario's recipes, stations,
# zones and prices, never its seed or the flows, and was computed afresh for every evaluation (the dry room's
# desiccant balance once per dry-room station and figure: ~0.8 ms of an /evaluate seed variant's ~12 ms).
_SCENARIO_COSTS: SeedlessCache[_ScenarioCosts] = SeedlessCache(8)  # assumption: a few scenarios at once


def _scenario_costs(scenario) -> _ScenarioCosts:
    """The cost figures of ``scenario``'s own stations and plant (kept per scenario without its seed)."""
    kept = _SCENARIO_COSTS.get(scenario)
    if kept is not None:
        return kept
    stations = {
        step.name: _StationCosts(
            fixed_per_machine=station_fixed_cost_per_machine(scenario, step.name),
            variable_per_sheet=step_variable_cost_per_sheet(scenario, step.name),
            capex_per_machine_usd=installed_capex_per_machine_usd(scenario, step.name),
            building_per_machine_usd=building_cost_per_machine_usd(scenario, step.name),
            conditioning_kWh_per_machine=conditioning_kWh_per_machine_per_year(scenario, step.name),
            dry_room_m2_per_machine=(building_area_per_machine_m2(scenario, step.name)
                                     if scenario.line.stations[step.name].zone == "dry_room" else 0.0),
        )
        for step in scenario.route
    }
    return _SCENARIO_COSTS.put(scenario, _ScenarioCosts(stations, plant_level_totals(scenario),
                                                        plant_fixed_cost(scenario), plant_items_capex_usd(scenario)))


def annual_cost(operation: PlantOperation) -> CostBreakdown:
    """Yearly cost of ``operation``: machines x fixed + sheets entering x variable + plant fixed.

    Exactly the sum of :func:`station_fixed_cost_per_machine`, :func:`step_variable_cost_per_sheet` and
    :func:`plant_fixed_cost` (docs/architecture.md). Energy is priced from the station energy model
    (idle draw + run energy per sheet), so a measured ``operation.energy_kWh_per_year`` is reported by the
    caller but does not change the price.
    """
    scenario = operation.scenario
    kept = _scenario_costs(scenario)
    by_step: dict[str, dict[str, float]] = {}
    variable: dict[str, dict[str, float]] = {}
    equipment = 0.0
    building = 0.0
    for step in scenario.route:
        machines = operation.machines[step.name]
        sheets_in = operation.sheets_in_per_year[step.name]
        station = kept.stations[step.name]
        fixed = station.fixed_per_machine
        variable[step.name] = station.variable_per_sheet
        by_step[step.name] = {c: machines * fixed[c] + sheets_in * variable[step.name][c] for c in CATEGORIES}
        escaped_cells = operation.escaped_cells_by_step.get(step.name, 0.0)
        by_step[step.name][ESCAPES] = escaped_cells * scenario.costs.quality.escape_usd_per_cell
        equipment += machines * station.capex_per_machine_usd
        building += machines * station.building_per_machine_usd
    batpac_plant = kept.batpac_plant
    if batpac_plant is not None:  # BatPaC's plant-wide processes (warehouse, building systems, control lab)
        equipment += batpac_plant.capital_usd
        building += batpac_plant.floor_area_m2 * scenario.costs.building.usd_per_m2
    credit = _recycling_credit(operation)
    for step_name, usd in credit.items():
        by_step[step_name]["materials"] -= usd
    plant = kept.plant_fixed
    if any(plant.values()):
        by_step[PLANT_STEP] = dict(plant)
    good_m2 = operation.good_cells_per_year * scenario.cell.format.layers_per_cell * scenario.cell_layer_area_m2
    return CostBreakdown(
        by_step_category=by_step,
        equipment_capex_usd=equipment,
        building_capex_usd=building,
        kwh_per_year=operation.kwh_per_year,
        good_m2_per_year=good_m2,
        good_cells_per_year=operation.good_cells_per_year,
        scrap_value_usd_per_year=_scrap_value(operation, variable),
        plant_items_capex_usd=kept.plant_items_capex_usd,
        recycling_credit_usd_per_year=credit,
        escape_usd_per_cell=scenario.costs.quality.escape_usd_per_cell,
        dry_room=_dry_room_block(operation, kept),
    )


def _dry_room_block(operation: PlantOperation, kept: _ScenarioCosts) -> dict:
    """The dry room's floor, premium and the premium's capex; empty without dry-room stations.

    No separate cost line: the premium is in each dry-room step's ``building`` (docs/architecture.md).
    """
    scenario = operation.scenario
    floor = math.fsum(operation.machines[s.name] * kept.stations[s.name].dry_room_m2_per_machine
                      for s in scenario.route)
    if floor <= 0.0:
        return {}
    premium = dry_room_premium_usd_per_m2(scenario)
    return {"floor_m2": floor, "premium_usd_per_m2": premium, "premium_capex_usd": floor * premium,
            "premium_source": premium_source(scenario)}


def _recycling_credit(operation: PlantOperation) -> dict[str, float]:
    """Recovered value of the scrap of each step [USD/yr] (sheet-equivalents; empty without costs.recycling)."""
    scenario = operation.scenario
    if scenario.costs.recycling is None:
        return {}
    # rejected cells are recycled whole; so are the pieces cut away from a kept sheet (per piece, what the
    # sheet held at the step that killed them)
    scrapped = scrapped_sheet_equivalents(operation)
    return {step.name: scrapped[step.name] * recycling_credit_per_scrapped_sheet(scenario, step.name)
            for step in scenario.route}


def conditioning_kWh_per_year(operation: PlantOperation) -> float:
    """Dry-room conditioning electricity of the plant [kWh/yr]."""
    stations = _scenario_costs(operation.scenario).stations
    return math.fsum(operation.machines[s.name] * stations[s.name].conditioning_kWh_per_machine
                     for s in operation.scenario.route)


def energy_figures(operation: PlantOperation) -> tuple[float, dict]:
    """Electricity per kWh of good cells and the ``energy`` result block, by station.

    Each station's share is its machines' energy plus the dry-room conditioning of its floor, in both
    ``by_station_kwh_per_year`` and ``by_station_kwh_per_kwh`` (one definition: per year / kWh of good cells
    per year = per kWh), so the per-year entries add up to ``machines_kwh_per_year + dry_room_kwh_per_year``
    and the per-kWh ones to the headline ``energy_kwh_per_kwh``; ``by_station_dry_room_kwh_per_year`` names
    the dry-room part of each. Per-kWh figures are None (and the headline inf, set to None by
    twin.no_output) when no good cell is made.
    """
    scenario = operation.scenario
    machine = {s.name: operation.energy_kWh_per_year[s.name] for s in scenario.route}
    stations = _scenario_costs(scenario).stations
    conditioning = {s.name: operation.machines[s.name] * stations[s.name].conditioning_kWh_per_machine
                    for s in scenario.route}
    machine_kWh = math.fsum(machine.values())
    conditioning_kWh = math.fsum(conditioning.values())
    cells_kWh = operation.kwh_per_year
    defined = cells_kWh > 0

    def per_kwh(value: float) -> float | None:
        return value / cells_kWh if defined else None

    block = {
        "machines_kwh_per_year": machine_kWh,
        "dry_room_kwh_per_year": conditioning_kWh,
        # machines + the station's dry-room floor, as by_station_kwh_per_kwh (a user divides the one by the
        # output and expects the other: the machines alone read 2.5x the per-kWh figure on a sulphide line)
        "by_station_kwh_per_year": (station := {name: machine[name] + conditioning[name] for name in machine}),
        "dry_room_kwh_per_kwh": per_kwh(conditioning_kWh),
        "by_station_kwh_per_kwh": {name: per_kwh(value) for name, value in station.items()},
        "by_station_dry_room_kwh_per_year": conditioning,
    }
    headline = (machine_kWh + conditioning_kWh) / cells_kWh if defined else math.inf
    return headline, block


__all__ = ["ESCAPES", "REPORTED_CATEGORIES", "CostBreakdown", "annual_cost", "conditioning_kWh_per_year",
           "energy_figures", "scrapped_sheet_equivalents"]
