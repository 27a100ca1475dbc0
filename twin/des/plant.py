"""The plant model built from a validated scenario: stations in route order, buffers between them.

Every timing and energy figure comes from :func:`twin.capacity.station_timings`; every sheet's state
from :mod:`twin.sheet_physics`. This module only wires them into SimPy and seeds the random streams.

Random streams and common random numbers: replication ``r`` of a run gets the child ``r`` of
``SeedSequence(seed).spawn(R)``. Inside a replication every stream is keyed by the *station name* and
its purpose (failures per machine, physics draws per station), not by position, so two scenarios
compared with the same seed draw the same failure times for machine 3 of ``electrolyte_sintering``
and the same variation for its n-th kiln load, even if other stations were added or changed.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np
import simpy

from twin.capacity import StationTiming, station_timings
from twin.des.buffer import SheetBuffer
from twin.des.calendar import SECONDS_PER_DAY, ShiftCalendar
from twin.des.endpoints import FinishedGoods, LineLedger, RawMaterialSupply
from twin.des.station import Station, StationSpec
from twin.operations import operation_for
from twin.scenario import Scenario

PURPOSE_FAILURES = 1
PURPOSE_PHYSICS = 2
PURPOSE_SERVICE = 3
PURPOSE_UNIT_DRAWS = 4
# A discrete station takes a lot of at most this much work of one machine before releasing it downstream,
# and at most the largest upstream carrier (roll, kiln car). Assumption: a one-hour lot (an eighth of a
# shift) is shorter than the carriers that feed these stations (a roll of a laminator or caster takes
# ~2-7 h, a kiln car ~13 h in the scenarios), so the lot follows the upstream carrier and adds no
# lumpiness of its own; a sheet still starts as soon as one is waiting. With it a year of a gigafactory is
# ~1e4 lots per discrete station instead of ~1e8 single sheets (a 30 min cap doubled the lots, and the
# simulation time, without changing what the line can make). The lot does not depend on the machine
# count: a carrier is split into one-hour lots, which as many machines work in parallel, so a plant with
# 5x the machines has 5x the lots of the same size (an earlier cap at the machine's share of the carrier,
# carrier / machines, made 5x smaller lots: a 5x gigafactory had 14x the units and took ~7.7x the CPU time).
DISCRETE_LOT_TIME_S = 3600.0
# A kiln fires a partial load if no full load has gathered within this many firing cycles
# (assumption: the plant would rather wait one cycle than fire half empty; see Machine._wait_for_load).
PARTIAL_LOAD_WAIT_CYCLES = 1.0
WIP_SAMPLE_INTERVAL_S = 3600.0
# Per-sheet draws (and state-free steps) are made this many sheets at a time per station: large enough
# that a generator call per block costs nothing per sheet, small enough to stay in cache (~1 MB a block).
BLOCK_SHEETS = 32768
# every element true: the ufunc's reduction that ndarray.all() calls, without its Python layer (per unit)
all_true = np.logical_and.reduce


class CountingEnvironment(simpy.Environment):
    """A SimPy environment that counts the events it schedules (for the events/s figure)."""

    def __init__(self, initial_time: float = 0):
        super().__init__(initial_time)
        self.events_scheduled = 0

    def schedule(self, event, priority=1, delay=0):
        self.events_scheduled += 1
        super().schedule(event, priority, delay)


def stream(replication_seed: np.random.SeedSequence, station_name: str, purpose: int,
           index: int = 0, bit_generator=np.random.PCG64) -> np.random.Generator:
    """The random generator of one station (and machine) for one purpose, keyed by name."""
    key = tuple(replication_seed.spawn_key) + (zlib.crc32(station_name.encode("utf-8")), purpose, index)
    return np.random.Generator(bit_generator(np.random.SeedSequence(replication_seed.entropy, spawn_key=key)))


def station_spec(timing: StationTiming, scenario: Scenario, upstream_unit_sheets: int) -> StationSpec:
    """Behaviour of one station in the DES from its nominal timing (twin.capacity)."""
    station = scenario.line.stations[timing.step_name]
    common = dict(
        name=timing.step_name, kind=timing.station_kind, machines=timing.machines,
        unit_process_time_s=timing.unit_process_time_s, unit_overhead_s=timing.unit_overhead_s,
        setup_s=timing.setup_s, mtbf_s=station.mtbf_h * 3600.0, mttr_s=station.mttr_h * 3600.0,
        failure_distribution=station.failure_distribution, weibull_shape=station.weibull_shape,
        maintenance_s_per_week=station.planned_maintenance_h_per_week * 3600.0,
        run_power_kW=timing.run_power_kW, idle_power_kW=timing.idle_power_kW,
        unit_energy_kWh=timing.unit_energy_kWh,
    )
    if timing.station_kind == "batch":
        cycle_s = timing.unit_process_time_s + timing.unit_overhead_s
        return StationSpec(unit_sheets=timing.unit_sheets, min_unit_sheets=timing.unit_sheets,
                           reference_sheets=timing.unit_sheets, time_scales_with_sheets=False,
                           pauses_at_shift_end=False, partial_load_wait_s=PARTIAL_LOAD_WAIT_CYCLES * cycle_s,
                           **common)
    if timing.station_kind == "continuous":
        return StationSpec(unit_sheets=timing.unit_sheets, min_unit_sheets=timing.unit_sheets,
                           reference_sheets=timing.unit_sheets, **common)
    per_sheet_s = (timing.unit_process_time_s + timing.unit_overhead_s) / timing.unit_sheets
    # the lot follows the upstream carrier and the one-hour cap, never the machine count (see above); a tester
    # whose channels hold each cell for longer (a capacity grade's ~7 h cycle) loads a rack's worth at a time:
    # its lot is that hold's work, not an hour's (a one-hour lot cut the graded end-of-line test into 8x the
    # units, and a gigafactory year took 36 s of CPU instead of 23)
    step = next(step for step in scenario.route if step.name == timing.step_name)
    lot_time_s = max(DISCRETE_LOT_TIME_S, operation_for(step).cell_hold_s(scenario, step))
    lot = max(1, min(int(lot_time_s // per_sheet_s), upstream_unit_sheets))
    return StationSpec(unit_sheets=lot, min_unit_sheets=1, reference_sheets=timing.unit_sheets, **common)


@dataclass
class Plant:
    env: CountingEnvironment
    scenario: Scenario
    calendar: ShiftCalendar
    ledger: LineLedger
    stations: list[Station]
    buffers: list[SheetBuffer]          # buffers[i] feeds stations[i + 1]
    configured_buffer_sheets: list[int]
    finished: FinishedGoods
    warmup_s: float
    wip_samples: list[int]

    def sheets_in_line(self) -> int:
        """Sheets actually found in buffers and machines (independent of the ledger's counters)."""
        return sum(buffer.level for buffer in self.buffers) + sum(s.holding_sheets for s in self.stations)


def _physics(scenario: Scenario, step_index: int, replication_seed: np.random.SeedSequence, station_name: str,
             clock=None):
    from process_models import trusted_inputs
    from twin.firing_interruption import FIRING_INTERRUPTIONS
    from twin.piece_yield import step_kills_single_pieces, step_piece_losses
    from twin.sheet_batch import SHEET_STATE_FIELDS
    from twin.sheet_exposure import LINE_TIME, exposure_window
    from twin.sheet_physics import (
        PRECOMPUTED_STATE,
        SheetBatch,
        StationConditions,
        apply_step,
        precompute_state_free,
        state_free_fields,
        step_changes_sheets,
    )

    if not step_changes_sheets(scenario, step_index):
        return None  # time and energy only: no draws, no state change, nothing to call per unit
    # Per-sheet scatter is drawn in bulk (~10 normals a sheet, ~1.5e8 a gigafactory year): SFC64 draws
    # them ~20 % faster than PCG64, with no known statistical weakness (O'Neill; numpy's bit generator
    # guide). Unit-level draws (a few per kiln load) keep the default PCG64.
    derive = None
    if state_free_fields(scenario.route[step_index]):
        # a state-free step (casting, cathode spray, lamination) is computed for a block of sheets at once,
        # on the same scratch sheets block after block
        scratch = SheetBatch.new(BLOCK_SHEETS)

        def derive(draws):
            return {PRECOMPUTED_STATE: precompute_state_free(scenario, step_index, draws, scratch)}
    conditions = StationConditions(
        scenario, step_index,
        sheet_rng=stream(replication_seed, station_name, PURPOSE_PHYSICS, bit_generator=np.random.SFC64),
        unit_rng=stream(replication_seed, station_name, PURPOSE_UNIT_DRAWS), block_sheets=BLOCK_SHEETS,
        derive=derive)
    step = conditions.step
    start, stop = exposure_window(scenario)
    if not start <= step_index <= stop:
        clock = None  # the electrolyte is not yet made or already covered: no zone air to book

    cells_per_sheet = scenario.cell.format.cells_per_sheet
    dead_row = SHEET_STATE_FIELDS.index("dead_cell_pieces")
    kills_single_pieces = step_kills_single_pieces(scenario, step)

    def process_unit(unit, interruptions=None) -> tuple[np.ndarray, np.ndarray] | None:
        """Apply the step to the unit; return the pieces it lost by cause, (whole sheets, single pieces), or
        None when it lost none."""
        drawn = conditions.next_unit(unit.n)
        if clock is not None:
            # each sheet's own time on the line: the zone air it waited in (twin.sheet_exposure)
            drawn = {**drawn, LINE_TIME: clock() - unit.entry_time_s}
        if interruptions:
            # a breakdown stopped this load's firing: its history goes to the firing physics
            drawn = {**drawn, FIRING_INTERRUPTIONS: tuple(interruptions)}
        # the scenario was validated at load and the draws are clipped to physical ranges
        sheets = unit.sheets
        values = sheets.values
        # a step that cannot kill single pieces leaves them as they were: no copy needed
        dead_before = values[dead_row].copy() if kills_single_pieces else values[dead_row]
        with trusted_inputs():
            apply_step(scenario, step_index, sheets, drawn, step=step)
        # every sheet of a unit enters alive (each station drops its scrap): the dead ones died here
        alive = sheets.alive
        if not kills_single_pieces and all_true(alive):
            return None
        return step_piece_losses(cells_per_sheet, dead_before, values, ~alive, sheets.scrap_cause)

    return process_unit


def _kiln_interruptions(scenario: Scenario, step_index: int, spec: StationSpec):
    """The breakdown-mid-firing handler of a batch kiln, or None for every other station."""
    from twin.firing_interruption import KilnInterruptions
    from twin.sheet_firing import nominal_firing_profile

    step = scenario.route[step_index]
    if spec.kind != "batch" or not operation_for(step).is_firing or not math.isfinite(spec.mtbf_s):
        return None
    return KilnInterruptions(scenario, step, nominal_firing_profile(step), spec.unit_overhead_s)


def build_plant(scenario: Scenario, replication_seed: np.random.SeedSequence, horizon_s: float,
                warmup_s: float, with_physics: bool = True) -> Plant:
    """Wire the scenario's line into a SimPy model (nothing runs until ``env.run``)."""
    from twin.sheet_physics import SCRAP_CAUSES

    env = CountingEnvironment()
    calendar = ShiftCalendar.from_scenario(scenario, horizon_s)
    ledger = LineLedger(env, warmup_s)
    timings = station_timings(scenario)
    specs: list[StationSpec] = []
    largest_unit = 1
    for timing in timings.values():
        specs.append(station_spec(timing, scenario, largest_unit))
        if timing.station_kind != "discrete":
            largest_unit = max(largest_unit, timing.unit_sheets)
    buffers: list[SheetBuffer] = []
    configured: list[int] = []
    for upstream, downstream in zip(specs[:-1], specs[1:], strict=True):
        size = int(scenario.line.buffers.before.get(downstream.name, scenario.line.buffers.default_capacity_sheets))
        configured.append(size)
        # at least one unit from upstream plus one unit for downstream, or the line could deadlock
        capacity = max(size, upstream.unit_sheets + downstream.min_unit_sheets)
        buffers.append(SheetBuffer(env, f"before_{downstream.name}", capacity, warmup_s))
    finished = FinishedGoods(env, ledger, warmup_s, sample_state=with_physics,
                             cells_per_sheet=scenario.cell.format.cells_per_sheet, scenario=scenario)
    inbounds = [RawMaterialSupply(env, ledger, with_physics)] + buffers
    outbounds = buffers + [finished]
    stations = []
    for index, spec in enumerate(specs):
        machine_rngs = [stream(replication_seed, spec.name, PURPOSE_FAILURES, m) for m in range(spec.machines)]
        physics = (_physics(scenario, index, replication_seed, spec.name, clock=lambda: env.now)
                   if with_physics else None)
        stations.append(Station(env, spec, inbounds[index], outbounds[index], calendar, ledger, machine_rngs,
                                process_unit=physics, step_index=index, scrap_causes=SCRAP_CAUSES,
                                warmup_s=warmup_s, interruption_hook=_kiln_interruptions(scenario, index, spec)))
    plant = Plant(env, scenario, calendar, ledger, stations, buffers, configured, finished, warmup_s, [])
    env.process(_sample_wip(plant))
    return plant


def _sample_wip(plant: Plant):
    env = plant.env
    first = math.ceil(plant.warmup_s / WIP_SAMPLE_INTERVAL_S) * WIP_SAMPLE_INTERVAL_S
    yield env.timeout(first)
    while True:
        plant.wip_samples.append(plant.ledger.wip_sheets)
        yield env.timeout(WIP_SAMPLE_INTERVAL_S)


def run_plant(plant: Plant, horizon_s: float, progress=None) -> None:
    """Run to ``horizon_s`` a day at a time, reporting the simulated fraction to ``progress``."""
    day = 0
    while plant.env.now < horizon_s:
        day += 1
        plant.env.run(until=min(day * SECONDS_PER_DAY, horizon_s))
        if progress is not None:
            progress(plant.env.now / horizon_s)
    for station in plant.stations:
        station.close_accounts()


__all__ = ["CountingEnvironment", "Plant", "build_plant", "run_plant", "station_spec", "stream"]
