"""The air a sheet waits in: moisture dose per sheet, garnet surface carbonate, sulphide hydrolysis.

The electrolyte collects dose while it has an open face: from the step that makes it (casting or spray,
which starts the clock) to the Li lamination (or the end of a route without one). Each step in that window
books the time since the sheet's last booking in the zone of its station (the buffer in front of a station
is taken to be in that station's zone, assumption), from ``conditions[LINE_TIME]``: the time since the
sheet entered the line when the step finishes it. A step the plant skips (drying, cutting without
defects) has its time booked by the next step, in that step's zone.

- the plant (twin.des) passes each sheet's own time (simulation clock - line entry time), so buffer
  levels, breakdowns and lead time change the dose sheet by sheet;
- the steady-state evaluation passes :func:`steady_line_times_s`: every buffer half full (an M/M/1/K
  queue at load 1 has a uniform level, mean K/2) and drained at the line's bottleneck rate, plus each
  station's cycle.

The dose acts on the electrolyte through the existing paths: a garnet grows Li2CO3/LiOH that raises the
Li interface ASR laminated on a ``cleaned`` surface (a firing above 700 C cleans it again); a sulphide
loses conductivity (``conductivity_factor``), which moves its conductivity and ASR.
"""

from __future__ import annotations

import functools

import numpy as np

from process_models.atmosphere_exposure import sulphide_conductivity_retention, water_partial_pressure_Pa
from twin.capacity import station_timings
from twin.operations import operation_for
from twin.scenario import Scenario
from twin.scenario.route import RouteStep
from twin.sheet_layers import electrolyte_material, filled, update_electrolyte_transport

EXPOSURE_FIELDS = ("exposure_booked_s", "moisture_dose_Pa_s", "surface_carbonate_fraction")
"""The state fields this module keeps (twin.sheet_batch.SHEET_STATE_FIELDS)."""
LINE_TIME = "line_time_s"
"""Conditions key: time since each sheet entered the line when the step finishes it [s]."""


# zone water pressure by (line, step name): the plant asks on every unit in the exposure window; the
# entry keeps its line alive so an id is never reused
_ZONE_PRESSURES: dict[tuple[int, str], tuple[object, float]] = {}


def zone_water_pressure_Pa(scenario: Scenario, step_name: str) -> float:
    """Water partial pressure in the zone of a step's station [Pa] (line.zones dew points)."""
    line = scenario.line
    cached = _ZONE_PRESSURES.get((id(line), step_name))
    if cached is not None and cached[0] is line:
        return cached[1]
    pressure = _zone_water_pressure_Pa(scenario, step_name)
    if len(_ZONE_PRESSURES) > 256:
        _ZONE_PRESSURES.clear()
    _ZONE_PRESSURES[(id(line), step_name)] = (line, pressure)
    return pressure


def _zone_water_pressure_Pa(scenario: Scenario, step_name: str) -> float:
    zones = scenario.line.zones
    zone = scenario.line.stations[step_name].zone
    if zone == "dry_room" and zones.dry_room is not None:
        dew_point_C = zones.dry_room.dew_point_C
    elif zone == "inert":
        dew_point_C = zones.inert_dew_point_C
    else:
        dew_point_C = zones.ambient_dew_point_C
    return _pressure_at_dew_point_Pa(float(dew_point_C))


@functools.lru_cache(maxsize=64)
def _pressure_at_dew_point_Pa(dew_point_C: float) -> float:
    # called on every unit the plant processes: a zone has one dew point, compute it once
    return float(water_partial_pressure_Pa(dew_point_C + 273.15))


def steady_line_times_s(scenario: Scenario) -> tuple[float, ...]:
    """Mean time since line entry at which each step finishes a sheet, in steady state [s].

    Buffer k holds K_k/2 sheets on average (uniform level of an M/M/1/K queue at load 1) and drains
    at the line rate, the least station capacity (twin.capacity), so a sheet waits K_k / (2 rate);
    each station then holds it for one cycle of its unit (a roll, a kiln load, a sheet). K_k is the
    buffer the plant builds: the configured size, or at least one upstream unit plus one downstream
    unit (a laminator waits for a whole roll of sheets), as in twin.des.plant.
    """
    timings = station_timings(scenario)
    rate_per_s = min(t.capacity_sheets_per_hour for t in timings.values()) / 3600.0
    buffers = scenario.line.buffers
    times, clock = [], 0.0
    previous = None
    for step in scenario.route:
        timing = timings[step.name]
        if previous is not None and rate_per_s > 0:
            size = buffers.before.get(step.name, buffers.default_capacity_sheets)
            size = max(size, previous.unit_sheets + timing.unit_sheets)
            clock += 0.5 * size / rate_per_s
        clock += timing.unit_process_time_s + timing.unit_overhead_s
        previous = timing
        times.append(clock)
    return tuple(times)


def _narrowed(idx, present: np.ndarray, size: int):
    """``idx`` narrowed to the sheets where ``present`` (aligned with ``idx``) is True."""
    if present.all():
        return idx
    return np.arange(size)[idx][present]


def _makes_electrolyte(step: RouteStep) -> bool:
    return operation_for(step).deposited_layer(step) == "electrolyte"


# exposure windows by route object: the plant asks on every unit, and a route (a list inside a pydantic
# model) is neither hashable nor weak-referenceable; the entry keeps its route alive so an id is never reused
_WINDOWS: dict[int, tuple[list, tuple[int, int]]] = {}


def exposure_window(scenario: Scenario) -> tuple[int, int]:
    """(index of the step that makes the electrolyte, index of the Li lamination or the last step).

    The electrolyte has an open face from the one to the other: the steps after ``start`` up to and
    including ``stop`` book zone air; none other does.
    """
    route = scenario.route
    cached = _WINDOWS.get(id(route))
    if cached is not None and cached[0] is route:
        return cached[1]
    start = next((i for i, step in enumerate(route) if _makes_electrolyte(step)), len(route))
    stop = next((i for i, step in enumerate(route) if i > start and operation_for(step).adds_li_metal), len(route) - 1)
    if len(_WINDOWS) > 256:
        _WINDOWS.clear()
    _WINDOWS[id(route)] = (route, (start, stop))
    return start, stop


def book_exposure(scenario: Scenario, step_index: int, step: RouteStep, state: dict[str, np.ndarray], conditions,
                  idx) -> None:
    """Add the moisture dose collected since the last booking, and what it does to the electrolyte."""
    line_time = conditions.get(LINE_TIME)
    if line_time is None:
        return  # no clock (e.g. sheets computed ahead): nothing to book
    start, stop = exposure_window(scenario)
    if not start < step_index <= stop:
        return  # no electrolyte yet, or Li and cathode already cover it
    now = line_time[idx] if np.ndim(line_time) else line_time
    # the time since the last booking (read before the booking is moved on: idx may give a view)
    elapsed = np.maximum(now - filled(state["exposure_booked_s"][idx], 0.0), 0.0)
    state["exposure_booked_s"][idx] = now
    # only an electrolyte with an open face collects dose: once Li is laminated on it, cathode and Li cover it
    has_layer = ~np.isnan(state["electrolyte_thickness_m"][idx]) & np.isnan(state["interface_asr_ohm_m2"][idx])
    if not has_layer.any():
        return
    increment = zone_water_pressure_Pa(scenario, step.name) * elapsed
    if not has_layer.all():
        increment = np.where(has_layer, increment, 0.0)
    dose = filled(state["moisture_dose_Pa_s"][idx], 0.0) + increment
    state["moisture_dose_Pa_s"][idx] = dose
    # a garnet's carbonate is computed from the dose where it acts (at the lamination, below)
    if electrolyte_material(scenario).kind == "sulphide" and np.any(increment > 0.0):
        rows = _narrowed(idx, has_layer, state["conductivity_factor"].size)
        retention = sulphide_conductivity_retention(increment if rows is idx else increment[has_layer])
        state["conductivity_factor"][rows] = filled(state["conductivity_factor"][rows], 1.0) * retention
        update_electrolyte_transport(scenario, state, rows)


def apply_exposure_effects(scenario: Scenario, step: RouteStep, state: dict[str, np.ndarray], conditions,
                           idx) -> None:
    """After a step: a new electrolyte starts its exposure clock; a hot firing cleans a garnet surface; Li
    laminated on a cleaned surface carries its carbonate."""
    if _makes_electrolyte(step):
        line_time = conditions.get(LINE_TIME)
        if line_time is not None:
            state["exposure_booked_s"][idx] = line_time[idx] if np.ndim(line_time) else line_time
            state["moisture_dose_Pa_s"][idx] = 0.0
        return
    # a hot firing cleans a garnet surface; Li laminated on it covers the carbonate it has
    operation_for(step).garnet_surface_effects(scenario, step, state, idx)


__all__ = ["EXPOSURE_FIELDS", "LINE_TIME", "apply_exposure_effects", "book_exposure", "exposure_window",
           "steady_line_times_s",
           "zone_water_pressure_Pa"]
