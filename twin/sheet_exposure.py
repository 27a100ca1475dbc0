"""The air a sheet waits in: moisture dose per sheet, garnet surface carbonate, sulphide hydrolysis.

The electrolyte collects dose while it has an open face: from the step that makes it (casting or spray,
which starts the clock) to the Li lamination (or the end of a route without one). Each step in that window
books the time since the sheet's last booking in the zone of its station (the buffer in front of a station
is taken to be in that station's zone, assumption), from ``conditions[LINE_TIME]``: the time since the
sheet entered the line when the step finishes it. A step the plant skips (drying, cutting without
defects) has its time booked by the next step, in that step's zone.

- the plant (twin.des) passes each sheet's own time (simulation clock - line entry time), so buffer
  levels, breakdowns and lead time change the dose sheet by sheet;
- the steady-state evaluation passes :func:`sheet_line_times_s`: each sheet's own time, drawn from the
  sample's seeded stream: the level of each buffer it waits in from the stationary law of a reflected
  Brownian buffer (twin.line_buffers: tilted towards full in front of the bottleneck and towards empty
  behind it by the capacities, spread by the stations' breakdowns and units), drained at the line's
  bottleneck rate, plus each station's hold of its unit, in scheduled time; then stretched by the shift
  calendar's stops (nights, weekends, holidays) that fall inside the sheet's own wait, at a uniform phase
  of the calendar year; a batch kiln fires through the stops, so a stop that starts during its firing is
  waited behind it. A nonlinear pass/fail (interface
  ASR against its limit) on one mean wait never sees the tail: ~1 % of an oxide line's sheets sit in the
  dry room over a plant holiday and fail the cell inspection. :func:`steady_line_times_s` is the mean
  of the scheduled part.

The dose acts on the electrolyte through the existing paths: a garnet grows Li2CO3/LiOH that raises the
Li interface ASR laminated on a ``cleaned`` surface (a firing above 700 C cleans it again); a sulphide
loses conductivity (``conductivity_factor``), which moves its conductivity and ASR.
"""

from __future__ import annotations

import functools

import numpy as np

from process_models.atmosphere_exposure import (
    sulphide_conductivity_retention,
    sulphide_exposed_surface_share,
    water_partial_pressure_Pa,
)
from twin.buffer_levels import level_fraction, mean_level_fraction
from twin.expected_outcomes import stratified_uniforms
from twin.line_buffers import BufferWaits, buffer_waits
from twin.operations import operation_for
from twin.scenario import Scenario
from twin.scenario.route import RouteStep
from twin.sheet_layers import electrolyte_material, filled, update_electrolyte_transport

EXPOSURE_FIELDS = ("exposure_booked_s", "moisture_dose_Pa_s", "surface_carbonate_fraction",
                   "moisture_conductivity_retention")
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
    """Mean time since line entry at which each step finishes a sheet, in scheduled (shift) time [s].

    The mean of :func:`sheet_line_times_s` before the calendar's stops stretch it: per buffer
    E[X] K/r + (E[X] u_up + (1 - E[X]) max(b, u_up)) / (2 r), E[X] = m(K ln rho) (twin.buffer_levels),
    plus each station's hold of its unit.
    """
    return tuple(float(t) for t in np.cumsum(_mean_step_times_s(buffer_waits(scenario))))


def _mean_step_times_s(waits: BufferWaits) -> np.ndarray:
    """Per step: the mean wait in the buffer in front of it plus the station's hold [s]."""
    filled_share = np.array([mean_level_fraction(a) for a in waits.tilt])
    return (filled_share * waits.full_s + 0.5 * (filled_share * waits.upstream_unit_s
                                                 + (1.0 - filled_share) * waits.forming_s) + waits.hold_s)


@functools.lru_cache(maxsize=32)
def _shift_calendar(shifts_per_day: int, hours_per_shift: float, days_per_week: int,
                    holidays_per_year: int) -> tuple[np.ndarray, np.ndarray, float]:
    """(shift starts [s], scheduled time before each shift start [s], scheduled seconds of the first
    year) of the plant's calendar over three years (twin.des.calendar: the calendar the plant runs)."""
    from twin.des.calendar import DAYS_PER_YEAR, SECONDS_PER_DAY, ShiftCalendar

    calendar = ShiftCalendar(shifts_per_day, hours_per_shift, days_per_week, holidays_per_year,
                             horizon_s=DAYS_PER_YEAR * SECONDS_PER_DAY)
    starts, ends = np.array(calendar.starts), np.array(calendar.ends)
    # shifts that touch (3 x 8 h) are one working span: the map is the same, the look-up table ~40x shorter
    span_start = np.concatenate(([True], starts[1:] > ends[:-1]))
    before = np.concatenate(([0.0], np.cumsum(ends - starts)))[:-1]
    year_s = float(calendar.scheduled_s_until(DAYS_PER_YEAR * SECONDS_PER_DAY))
    return starts[span_start], before[span_start], year_s


def _calendar(scenario: Scenario) -> tuple[np.ndarray, np.ndarray, float]:
    shifts = scenario.line.shifts
    return _shift_calendar(int(shifts.shifts_per_day), float(shifts.hours_per_shift), int(shifts.days_per_week),
                           int(shifts.holidays_per_year))


# Cells of the span look-up at most this many (a calendar whose shortest span would need more is searched)
_MAX_LOOKUP_CELLS = 1 << 16


@functools.lru_cache(maxsize=32)
def _shift_span_lookup(shifts_per_day: int, hours_per_shift: float, days_per_week: int,
                       holidays_per_year: int) -> tuple[float, np.ndarray, np.ndarray] | None:
    """:func:`_span_lookup` of the calendar's scheduled time before each span (:func:`_shift_calendar`)."""
    return _span_lookup(_shift_calendar(shifts_per_day, hours_per_shift, days_per_week, holidays_per_year)[1])


def _span_lookup(before: np.ndarray) -> tuple[float, np.ndarray, np.ndarray] | None:
    """A grid over the scheduled time for :func:`_spans_at_or_before`: (cells per second, spans starting at or
    before each cell's start, ``before`` with +inf after its end); None when ``before`` is not strictly
    increasing from 0 or the grid would be too fine. Cells are a third of the shortest span, so an instant
    is at most one span start away from its cell's count (even with the cell off by one in rounding)."""
    if before.size < 2 or before[0] != 0.0 or not np.all(np.diff(before) > 0.0):
        return None
    width = float(np.diff(before).min()) / 3.0
    cells = int(np.ceil(before[-1] / width)) + 2
    if cells > _MAX_LOOKUP_CELLS:
        return None
    counts = np.searchsorted(before, np.arange(cells) * width, side="right")
    return 1.0 / width, counts, np.append(before, np.inf)


def _spans_at_or_before(before: np.ndarray, lookup: tuple[float, np.ndarray, np.ndarray] | None,
                        scheduled_s: np.ndarray) -> np.ndarray:
    """``np.searchsorted(before, scheduled_s, side="right")`` (how many spans start at or before each instant),
    the same integers, faster on an evaluation's instants (3000 sheets x the exposure window's steps,
    unsorted: a binary search each; oxide_baseline's ``sheet_line_times_s`` 2.27 -> 2.06 ms, medians of 300
    interleaved calls at load ~8). The instant's grid cell gives the count at the cell's start, one
    comparison each way corrects it (:func:`_span_lookup`)."""
    if lookup is None or not np.isfinite(scheduled_s).all():
        return np.searchsorted(before, scheduled_s, side="right")
    per_s, counts, padded = lookup
    cell = scheduled_s * per_s
    np.clip(cell, 0.0, counts.size - 1, out=cell)
    count = counts[cell.astype(np.intp)]
    count += padded[count] <= scheduled_s        # the span start inside the cell, at or before the instant
    count -= padded[count - 1] > scheduled_s     # the cell rounded up past a start after the instant
    return count


def calendar_time_s(scenario: Scenario, scheduled_s: np.ndarray) -> np.ndarray:
    """The calendar instant [s since the calendar's start] at which ``scheduled_s`` of shift time has run.

    Inverse of the plant calendar's scheduled time (twin.des.calendar.ShiftCalendar.scheduled_s_until): an
    instant at a shift's scheduled start maps to the start of that shift, after the stop before it.
    """
    starts, before, _ = _calendar(scenario)
    shifts = scenario.line.shifts
    lookup = _shift_span_lookup(int(shifts.shifts_per_day), float(shifts.hours_per_shift), int(shifts.days_per_week),
                                int(shifts.holidays_per_year))
    spans = _spans_at_or_before(before, lookup, np.asarray(scheduled_s, dtype=float))
    shift = np.clip(spans - 1, 0, starts.size - 1)
    return starts[shift] + (scheduled_s - before[shift])


def _fired_through_stops(scenario: Scenario, waits: BufferWaits, scheduled: np.ndarray, entry: np.ndarray,
                         calendar: np.ndarray, window: slice) -> None:
    """A batch kiln's finish in calendar time, in place on the window's rows of ``calendar``.

    The kiln loads in a shift, at C(tau + S_(k-1) + wait), and fires its hold in calendar time through
    nights and holidays (the plant: twin.des.machine, ``pauses_at_shift_end``); a load that finishes in a
    stop waits for the next shift in the buffer behind the kiln. So the stop that the scheduled clock put
    inside the firing moves to the step after it: the kiln's row finishes at load + hold, every other row
    keeps C(tau + S_k), the sheet's phase in the calendar is unchanged from the next step on.
    """
    origin = calendar_time_s(scenario, entry)
    for row, k in enumerate(range(window.start, window.stop)):
        if row == 0 or not waits.through_stops[k]:
            continue
        loaded = calendar_time_s(scenario, entry + scheduled[k] - waits.hold_s[k])
        np.minimum(calendar[row], loaded - origin + waits.hold_s[k], out=calendar[row])


def sheet_line_times_s(scenario: Scenario, sheets: int, rng: np.random.Generator,
                       block_sheets: int | None = None) -> np.ndarray:
    """Each sheet's own time since line entry at which each step finishes it [s], (steps x sheets).

    Model (drawn per sheet from ``rng``, stratified in blocks of ``block_sheets`` sheets as the defect
    draws are, twin.expected_outcomes: one draw per stratum of [0, 1), so the sample holds the tail in
    its expected share and adds little sampling noise):

    * **buffers** (:func:`twin.line_buffers.buffer_waits`): the sheet finds the buffer in front of step k
      filled to a fraction X_k of its K_k sheets, X_k from the stationary law of a Brownian buffer content
      reflected at empty and full, f(x) ~ exp(a x), a = 2 mu K / sigma^2 (Harrison 1985; twin.buffer_levels):
      mu the capacity upstream minus the capacity downstream, sigma^2 the variance rates of the units arriving
      and leaving (breakdowns, Hopp & Spearman 2008; passed down the line by Whitt's QNA, 1983). Full in front
      of the bottleneck, empty behind it, wandering between the two where the stations are near balance and
      variable. Everything ahead of it leaves at the line rate r (the least station capacity: in the long run
      every station passes the line's flow, Little's law). A full buffer also puts the sheet behind its own
      unit-mates (a roll arrives whole: V u_up ahead, V uniform); an empty one makes it wait for the sheets
      the station starts with (a roll to laminate, a kiln load) or for the unit it came in to be worked off,
      whichever is larger (V max(b, u_up)). Wait w_k = X_k K_k / r + V_k (X_k u_up + (1 - X_k) max(b_k, u_up))
      / r; then the station holds it for its unit's time. Only the buffers inside the exposure window are
      drawn (the others book no air: their mean is used). Against the plant (benchmarks/bench_buffer_waits.py,
      60 d x 3 seeds): docs/calibration/buffer_waits.md;
    * **calendar**: the sheet enters at a uniform instant tau of a calendar year's scheduled time (the
      stationary phase of a periodic calendar); its scheduled line time S is stretched to the calendar
      time C(tau + S) - C(tau) (:func:`calendar_time_s`): a stop of length D (night, weekend,
      holiday) falls inside a scheduled wait w with probability w / (scheduled time between stops),
      and adds D. The plant's sheets wait the same stops in its buffers (twin.des: no station works
      off shift), which is where oxide_baseline's ~1 % high_interface_asr scrap comes from: the sheets
      in the dry room when a 24 h plant holiday starts. The mean calendar wait is the scheduled one
      times calendar / scheduled time of the year. A batch kiln loads in a shift and fires its hold in
      calendar time (the plant's kilns do not pause): a stop that starts during the firing is booked to
      the next step, where the sheet waits for the shift (:func:`_fired_through_stops`).

    Breakdowns enter as the level law's spread, not as draws of their own (assumption: a stationary law at
    the stations' mean capacities and variance rates; see docs/calibration/buffer_waits.md).
    """
    waits = buffer_waits(scenario)
    start, stop = exposure_window(scenario)
    block = max(1, int(block_sheets or sheets))
    steady = None
    times = np.empty((waits.full_s.size, sheets))
    for k in range(waits.full_s.size):
        if start < k <= stop and waits.full_s[k] > 0:
            level = level_fraction(stratified_uniforms(rng.random(sheets), rng, block), float(waits.tilt[k]))
            # the place among its unit-mates: plain uniforms (the level carries the strata, and the tail: the
            # place moves a wait by at most one unit)
            behind = rng.random(sheets)
            # X K/r + V (X u_up + (1 - X) max(b, u_up)) / r + hold, in place (a few arrays of the sample)
            row = times[k]
            np.multiply(level, waits.upstream_unit_s[k] - waits.forming_s[k], out=row)
            row += waits.forming_s[k]
            row *= behind
            level *= waits.full_s[k]
            row += level
            row += waits.hold_s[k]
        else:
            if steady is None:
                steady = _mean_step_times_s(waits)
            times[k] = steady[k]
    scheduled = np.cumsum(times, axis=0)
    _, _, year_s = _calendar(scenario)
    entry = stratified_uniforms(rng.random(sheets), rng, block) * year_s
    # only the window's steps book air: the others keep their scheduled clock (one look-up per sheet and step)
    window = slice(min(start, times.shape[0]), min(stop, times.shape[0] - 1) + 1)
    calendar = calendar_time_s(scenario, entry + scheduled[window]) - calendar_time_s(scenario, entry)
    if waits.through_stops[window.start + 1:window.stop].any():
        _fired_through_stops(scenario, waits, scheduled, entry, calendar, window)
    scheduled[window] = calendar
    return scheduled


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
        retention = sulphide_conductivity_retention(increment if rows is idx else increment[has_layer],
                                                    exposed_share=_sulphide_exposed_share(scenario, state, rows))
        state["conductivity_factor"][rows] = filled(state["conductivity_factor"][rows], 1.0) * retention
        # the moisture's own share of that factor, kept apart so the output can say what the air cost
        state["moisture_conductivity_retention"][rows] = (
            filled(state["moisture_conductivity_retention"][rows], 1.0) * retention)
        update_electrolyte_transport(scenario, state, rows)


def _sulphide_exposed_share(scenario: Scenario, state: dict[str, np.ndarray], rows):
    """Share of the sulphide layer's particle surface the air reaches as it waits (porous before pressing,
    its face after): the powder's own size where it was made in-house, else the material's reference size;
    a material without one is taken as loose powder (all of it exposed)."""
    reference_m = electrolyte_material(scenario).get("conductivity_reference_grain_size_m")
    if reference_m is None:
        return 1.0
    particle = filled(state["electrolyte_powder_particle_size_m"][rows], reference_m)
    return sulphide_exposed_surface_share(state["relative_density"][rows], state["electrolyte_thickness_m"][rows],
                                          particle)


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


__all__ = ["EXPOSURE_FIELDS", "LINE_TIME", "BufferWaits", "apply_exposure_effects", "book_exposure", "buffer_waits",
           "calendar_time_s",
           "exposure_window", "sheet_line_times_s", "steady_line_times_s",
           "zone_water_pressure_Pa"]
