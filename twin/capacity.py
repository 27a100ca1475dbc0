"""Nominal timing, capacity and energy of every station, from the scenario and the physics.

This is the one place that turns a recipe into machine time: the steady-state evaluation, the
discrete-event twin and the optimiser all read these figures, so they cannot disagree.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from process_models import spray_deposition, tape_casting
from process_models.cell_metrics import cathode_areal_capacity_mAh_per_cm2
from process_models.parameters import load_material
from process_models.solvent_removal import solvent_removal_energy_J_per_kg
from process_models.temperature_profile import TemperatureProfile
from twin.operations import operation_for
from twin.scenario import Scenario
from twin.scenario.line import Station
from twin.scenario.machine_sizes import parallel_heads, sized_station
from twin.scenario.route import (
    RouteStep,
    Sintering,
    SprayDeposition,
    TapeCasting,
)
from twin.seedless import SeedlessCache

HOURS_PER_WEEK = 168.0


@dataclass(frozen=True)
class StationTiming:
    step_name: str
    step_kind: str
    station_kind: str
    machines: int
    unit_sheets: int
    unit_process_time_s: float
    unit_overhead_s: float
    setup_s: float
    shift_length_s: float
    availability: float
    run_power_kW: float
    idle_power_kW: float
    unit_energy_kWh: float

    @property
    def sheets_per_hour_per_machine(self) -> float:
        """Sheets one machine processes per running hour (no failures, no shift setup)."""
        return self.unit_sheets * 3600.0 / (self.unit_process_time_s + self.unit_overhead_s)

    @property
    def setup_factor(self) -> float:
        """Share of each shift left after the shift-start setup."""
        return max(0.0, 1.0 - self.setup_s / self.shift_length_s)

    @property
    def capacity_sheets_per_hour(self) -> float:
        """Expected sheets per scheduled hour for the whole station, after breakdowns and setup."""
        return self.machines * self.sheets_per_hour_per_machine * self.availability * self.setup_factor

    @property
    def energy_kWh_per_sheet(self) -> float:
        return self.unit_energy_kWh / self.unit_sheets


def sintering_profile(step: Sintering) -> TemperatureProfile:
    """The recipe's temperature profile (one firing) in SI units."""
    return recipe_profile(step.start_temperature_C, recipe_segments(step))


def recipe_segments(step: Sintering) -> tuple[tuple[float, float, float], ...]:
    """(temperature_C, rate_C_per_min, hold_time_min) per segment: a hashable key for the profile."""
    return tuple((seg.temperature_C, seg.rate_C_per_min, seg.hold_time_min) for seg in step.profile)


@functools.lru_cache(maxsize=512)
def recipe_profile(start_temperature_C: float, segments: tuple[tuple[float, float, float], ...]) -> TemperatureProfile:
    """Profile of ramp-then-hold segments given in recipe units (C, C/min, min); cached per recipe."""
    knots: list[tuple] = []
    for temperature_C, rate_C_per_min, hold_time_min in segments:
        knots.append(("ramp", temperature_C + 273.15, rate_C_per_min / 60.0))
        if hold_time_min > 0:
            knots.append(("hold", hold_time_min * 60.0))
    return TemperatureProfile.from_segments(start_temperature_C + 273.15, knots)


def sheets_per_roll(scenario: Scenario, station: Station) -> tuple[int, int]:
    """(sheets per roll, lanes across the web) for a continuous station."""
    sheet_length_m = scenario.cell.format.sheet_length_mm * 1e-3
    sheet_width_m = scenario.cell.format.sheet_width_mm * 1e-3
    lanes = max(1, math.floor(station.web_width_m / sheet_width_m + 1e-9))
    along = max(1, math.floor(station.roll_length_m / sheet_length_m + 1e-9))
    return along * lanes, lanes


def casting_wet_thickness_m(step: TapeCasting) -> float:
    """Wet tape thickness behind the blade [m] (process_models.tape_casting, Chou 1987)."""
    return _wet_thickness_m(step.blade_gap_um, step.casting_speed_m_per_min, step.slurry_viscosity_Pa_s,
                            step.reservoir_height_mm, step.slurry_density_kg_per_m3, step.blade_length_mm,
                            step.flow_correction)


@functools.lru_cache(maxsize=1024)
def _wet_thickness_m(blade_gap_um: float, casting_speed_m_per_min: float, viscosity_Pa_s: float,
                     reservoir_height_mm: float, slurry_density_kg_per_m3: float, blade_length_mm: float,
                     flow_correction: float) -> float:
    """The same number for the same recipe values: the optimiser's material and time figures ask for the
    wet thickness of a few blade gaps ~40,000 times (a pure function of these scalars, so kept by value)."""
    return float(tape_casting.doctor_blade_wet_thickness_m(
        blade_gap_um * 1e-6, casting_speed_m_per_min / 60.0, viscosity_Pa_s, reservoir_height_mm * 1e-3,
        slurry_density_kg_per_m3, blade_length_mm * 1e-3, flow_correction=flow_correction,
    ))


def spray_passes(step: SprayDeposition) -> int:
    per_pass_m = spray_deposition.thickness_per_pass_m(
        step.feed_rate_ml_per_min * 1e-6 / 60.0, step.ink_solids_volume_fraction, step.transfer_efficiency,
        step.traverse_speed_mm_per_s * 1e-3, step.swath_width_mm * 1e-3, step.packing_fraction,
    )
    return int(spray_deposition.passes_for_thickness(step.target_thickness_um * 1e-6, per_pass_m))


def _continuous_speed_m_per_s(scenario: Scenario, index: int, step: RouteStep, station: Station) -> float:
    cap = station.line_speed_m_per_min / 60.0 if station.line_speed_m_per_min else math.inf
    speed = operation_for(step).continuous_speed_m_per_s(scenario, index, step, station)
    if speed is not None:
        return min(speed, cap)
    if math.isfinite(cap):
        return cap
    raise ValueError(f"line.stations.{step.name}.line_speed_m_per_min: required for this continuous station")


def spray_time_per_sheet_s(scenario: Scenario, step: SprayDeposition) -> float:
    return float(spray_deposition.layer_time_s(
        scenario.sheet_area_m2, spray_passes(step), step.traverse_speed_mm_per_s * 1e-3,
        step.swath_width_mm * 1e-3, step.dwell_per_pass_s,
    ))


def _availability(station: Station) -> float:
    uptime = station.mtbf_h / (station.mtbf_h + station.mttr_h)
    return uptime * (1.0 - station.planned_maintenance_h_per_week / HOURS_PER_WEEK)


def solvent_removed_kg_per_sheet(scenario: Scenario, index: int, step: RouteStep) -> float:
    """Solvent a spray booth or a dryer removes per sheet [kg] (0 for any other step).

    Spray: the ink sprayed for the sheet's deposit, overspray included (its solvent evaporates in the
    booth too). Drying: the solvent of the wet tape cast for the layer (twin.capacity casting model).
    """
    removal = operation_for(step).solvent_removal(scenario, index, step)
    return 0.0 if removal is None else removal[2]


def _run_energy_kWh(scenario: Scenario, index: int, step: RouteStep, station: Station, process_s: float,
                    unit_sheets: int) -> float:
    """Energy to process one unit: metered power x time, or the solvent-removal physics.

    With ``power_kW`` given (metered data) it is power x time. Without it, a spray booth or dryer
    draws its base load (``idle_power_kW``: fans, drives, pumps, controls) plus the heat to evaporate
    the unit's solvent and heat the exhaust air that keeps the vapour at 25 % of its LEL
    (process_models.solvent_removal).
    """
    if station.power_kW is not None:
        return station.power_kW * process_s / 3600.0
    physics_kW = operation_for(step).run_power_kW(scenario, index, step, station)
    if physics_kW is not None:
        return physics_kW * process_s / 3600.0
    removal = operation_for(step).solvent_removal(scenario, index, step)
    if removal is None:  # the scenario validator asks for power_kW everywhere else
        raise ValueError(f"line.stations.{step.name}.power_kW: required for a {step.kind} station")
    name, temperature_C, removed_kg = removal
    heat_J = (removed_kg * unit_sheets
              * float(solvent_removal_energy_J_per_kg(name, temperature_C + 273.15)))
    return station.idle_power_kW * process_s / 3600.0 + heat_J / 3.6e6


# The timings of a scenario's own stations (its recipes, its machine counts), kept per scenario without its
# seed (twin.seedless): one evaluation asks for them three times (the evaluation's line flow, the exposure
# clock of twin.sheet_exposure and the energy figures of twin.cost.linear_model), and the API's seed variants
# of one scenario (new objects sharing every other field) would each compute them again. No timing reads the
# seed; scenario models are frozen (twin.scenario.cell.Strict), so the same field objects give the same timings.
_TIMINGS_CACHE: SeedlessCache[dict[str, StationTiming]] = SeedlessCache(8)  # assumption: a few scenarios at once


def _own_timings(scenario: Scenario) -> dict[str, StationTiming]:
    """The (lazily filled) timings of ``scenario``'s own stations, by step name."""
    timings = _TIMINGS_CACHE.get(scenario)
    return _TIMINGS_CACHE.put(scenario, {}) if timings is None else timings


def station_timing(scenario: Scenario, step_name: str, step: RouteStep | None = None,
                   machines: int | None = None) -> StationTiming:
    """Timing of one station. ``step`` may be a modified recipe (optimiser candidates).

    The scenario's own recipe at its own machine count is computed once per scenario object.
    """
    index = next(i for i, s in enumerate(scenario.route) if s.name == step_name)
    if machines is None and (step is None or step is scenario.route[index]):
        own = _own_timings(scenario)
        timing = own.get(step_name)
        if timing is None:
            timing = own[step_name] = _station_timing(scenario, index, step_name, None, None)
        return timing
    return _station_timing(scenario, index, step_name, step, machines)


def _station_timing(scenario: Scenario, index: int, step_name: str, step: RouteStep | None,
                    machines: int | None) -> StationTiming:
    step = scenario.route[index] if step is None else step
    # the machine as installed: a sized station's axis, power and prices follow its size
    listed = scenario.line.stations[step_name]
    station = sized_station(listed)
    unit_sheets, overhead_s, process_s, energy_kWh = _unit_work(scenario, index, step, listed, station)
    return _timing(scenario, step_name, step.kind, station, machines, unit_sheets, overhead_s, process_s,
                   energy_kWh)


def _unit_work(scenario: Scenario, index: int, step: RouteStep, listed: Station,
               station: Station) -> tuple[int, float, float, float]:
    """(sheets per unit, overhead per unit [s], process time per unit [s], energy per unit [kWh]) of one
    recipe on the installed machine ``station`` (``listed``: the station as the scenario lists it)."""
    overhead_s = 0.0
    if station.kind == "continuous":
        unit_sheets, _ = sheets_per_roll(scenario, station)
        speed = _continuous_speed_m_per_s(scenario, index, step, station)
        process_s = station.roll_length_m / speed
        overhead_s = station.roll_change_min * 60.0
        energy_kWh = _run_energy_kWh(scenario, index, step, station, process_s, unit_sheets)
    elif station.kind == "batch":
        unit_sheets = int(station.batch_capacity_sheets)
        overhead_s = station.load_unload_min * 60.0
        process_s, energy_kWh = operation_for(step).batch_process(scenario, index, step, station)
    else:
        unit_sheets = 1
        process_s = operation_for(step).discrete_process_s(scenario, step, station)
        if process_s is None:
            process_s = (station.cycle_time_s / scenario.sheets_per_cell if station.cycle_unit == "cell"
                         else station.cycle_time_s)
        process_s += station.handling_time_s
        heads = parallel_heads(listed)
        if heads != 1.0:   # every head works a sheet through the same cycle: one sheet per cycle / heads
            process_s /= heads
        energy_kWh = _run_energy_kWh(scenario, index, step, station, process_s, unit_sheets)
    return unit_sheets, overhead_s, process_s, energy_kWh


def _timing(scenario: Scenario, step_name: str, step_kind: str, station: Station, machines: int | None,
            unit_sheets: int, overhead_s: float, process_s, energy_kWh) -> StationTiming:
    """The timing from one unit's work; ``process_s`` and ``energy_kWh`` may be arrays over recipes."""
    return StationTiming(
        step_name=step_name,
        step_kind=step_kind,
        station_kind=station.kind,
        machines=station.machines if machines is None else int(machines),
        unit_sheets=unit_sheets,
        unit_process_time_s=process_s,
        unit_overhead_s=overhead_s,
        setup_s=station.setup_min * 60.0,
        shift_length_s=scenario.line.shifts.hours_per_shift * 3600.0,
        availability=_availability(station),
        run_power_kW=(station.power_kW if station.power_kW is not None
                      else energy_kWh * 3600.0 / process_s),
        idle_power_kW=station.idle_power_kW,
        unit_energy_kWh=energy_kWh,
    )


def station_timing_over_recipes(scenarios: Sequence[Scenario], step_name: str,
                                steps: Sequence[RouteStep | None]) -> StationTiming:
    """The timing of one station for many recipes at once: ``unit_process_time_s`` and ``unit_energy_kWh``
    are arrays (one per recipe), so is ``run_power_kW`` unless the station's power is metered (a number);
    every other field is the station's, at one machine.

    ``scenarios[k]`` carries the route recipe ``k`` runs after (the optimiser's candidates: the same
    scenario with some steps replaced), ``steps[k]`` the step's own recipe (None: the scenario's). All
    must share one line (the same machines); each recipe's unit is worked out by the same function as
    :func:`station_timing`'s, so the two agree number for number (tests/twin/test_capacity.py).
    """
    if not scenarios or len(scenarios) != len(steps):
        raise ValueError(f"station_timing_over_recipes: {len(scenarios)} scenarios for {len(steps)} recipes; "
                         "give one scenario per recipe, at least one")
    first = scenarios[0]
    line = first.line
    index = next(i for i, s in enumerate(first.route) if s.name == step_name)
    listed = line.stations[step_name]
    station = sized_station(listed)
    process_s = np.empty(len(steps))
    energy_kWh = np.empty(len(steps))
    units = set()
    for k, (scenario, step) in enumerate(zip(scenarios, steps, strict=True)):
        if scenario.line is not line:
            raise ValueError(f"station_timing_over_recipes: scenario {k} has another line than scenario 0; "
                             "the recipes of one call must run on the same machines")
        unit_sheets, overhead_s, process_s[k], energy_kWh[k] = _unit_work(
            scenario, index, scenario.route[index] if step is None else step, listed, station)
        units.add((unit_sheets, overhead_s))
    if len(units) != 1:  # a unit's size and overhead are the machine's: never seen to differ by recipe
        raise ValueError(f"station_timing_over_recipes: line.stations.{step_name}: the recipes give different "
                         f"units (sheets, overhead s) {sorted(units)}; time them one by one with station_timing")
    (unit_sheets, overhead_s), = units
    kind = first.route[index].kind
    return _timing(first, step_name, kind, station, 1, unit_sheets, overhead_s, process_s, energy_kWh)


def machine_hours_per_sheet(timing: StationTiming):
    """Scheduled machine-hours one sheet takes [h]: 1 / (sheets per running hour x availability x share of
    the shift left after setup); infinite for a machine that makes nothing. Arrays in, arrays out."""
    effective = np.asarray(timing.sheets_per_hour_per_machine * timing.availability * timing.setup_factor,
                           dtype=float)
    with np.errstate(divide="ignore"):
        hours = np.where(effective > 0, 1.0 / np.where(effective > 0, effective, 1.0), np.inf)
    return hours if hours.ndim else float(hours)


def station_timings(scenario: Scenario) -> dict[str, StationTiming]:
    return {step.name: station_timing(scenario, step.name) for step in scenario.route}


def operating_hours_per_year(scenario: Scenario) -> float:
    return scenario.line.shifts.hours_per_year


def cathode_design_capacity_mAh_per_cm2(scenario: Scenario) -> float:
    """Areal capacity of the designed cathode at full density (process_models.cell_metrics)."""
    cathode = scenario.cell.cathode
    material = load_material(cathode.material)
    return float(cathode_areal_capacity_mAh_per_cm2(
        cathode.thickness_um * 1e-6, cathode.active_volume_fraction, material["active_density_kg_per_m3"],
        material["specific_capacity_mAh_per_g"], 1.0,
    ))


__all__ = [
    "StationTiming",
    "casting_wet_thickness_m",
    "cathode_design_capacity_mAh_per_cm2",
    "operating_hours_per_year",
    "recipe_profile",
    "recipe_segments",
    "sheets_per_roll",
    "sintering_profile",
    "solvent_removed_kg_per_sheet",
    "spray_passes",
    "spray_time_per_sheet_s",
    "machine_hours_per_sheet",
    "station_timing",
    "station_timing_over_recipes",
    "station_timings",
]
