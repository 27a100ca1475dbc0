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
  of the calendar year; a batch kiln fires through the stops, so a load that finishes in a stop waits
  behind it for the next shift, in the pile all its machines left. A nonlinear pass/fail (interface
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
from twin.buffer_levels import level_fraction
from twin.expected_outcomes import stratified_uniforms
from twin.line_buffers import BufferWaits, buffer_waits, mean_buffer_waits_s
from twin.operations import operation_for
from twin.scenario import Scenario
from twin.scenario.route import RouteStep
from twin.sheet_calendar import _calendar, calendar_time_s, scheduled_time_s
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
    twin.line_buffers.mean_buffer_waits_s, plus each station's hold of its unit.
    """
    return tuple(float(t) for t in np.cumsum(_mean_step_times_s(buffer_waits(scenario))))


def _mean_step_times_s(waits: BufferWaits) -> np.ndarray:
    """Per step: the mean wait in the buffer in front of it plus the station's hold [s]."""
    return mean_buffer_waits_s(waits) + waits.hold_s


def _fired_through_stops(scenario: Scenario, waits: BufferWaits, scheduled: np.ndarray, entry: np.ndarray,
                         calendar: np.ndarray, window: slice) -> None:
    """A batch kiln's finish in calendar time, and the steps after it, in place on the window's rows of ``calendar``.

    The kiln loads in a shift, at C(tau + S_(k-1) + wait), and fires its hold in calendar time through
    nights and holidays (the plant: twin.des.machine, ``pauses_at_shift_end``), so its row finishes at load +
    hold. A load that finishes in a stop waits in the buffer behind the kiln for the next shift, and the
    part of its firing that ran in the stop is done: the sheet's later steps run from the shift's start, its
    scheduled clock set back by that part (S(fired) in place of tau + S_k). Every machine of the kiln fired
    into the stop, so the next station finds their loads piled up, m u sheets, behind what its buffer held
    when the stop began (the level's draw), and works them off at its drain rate d in the order they
    finished: a load that finished t into the stop waits (t / hold) m u / d more. (Before round 11 the later
    steps kept C(tau + S_k), which waited the firing's part in the stop a second time: every sheet a holiday
    caught spent more than a day behind oxide_backfill's kilns, 3.7 % of them against the plant's 0.3 %;
    docs/calibration/buffer_waits.md.)
    """
    origin = calendar_time_s(scenario, entry)
    moved = np.zeros(entry.size)     # scheduled time the sheet's later steps move by [s]
    last = window.stop - window.start - 1
    for row, k in enumerate(range(window.start, window.stop)):
        if row == 0:
            continue
        if moved.any():
            calendar[row] = calendar_time_s(scenario, entry + scheduled[k] + moved) - origin
        if not waits.through_stops[k]:
            continue
        clock = entry + scheduled[k] + moved
        fired = calendar_time_s(scenario, clock - waits.hold_s[k]) + waits.hold_s[k]
        np.minimum(calendar[row], fired - origin, out=calendar[row])
        done_in_stop = clock - scheduled_time_s(scenario, fired)
        piled = done_in_stop > 1e-3     # a stop began during the firing (a round-off's millisecond is not one)
        if not piled.any() or row == last:
            continue
        # the pile is worked off in the order it was fired: the kilns' phases are uniform, so a load that
        # finished t into the stop has a share t / hold of the pile ahead of it
        pile_wait = np.clip(done_in_stop / waits.hold_s[k], 0.0, 1.0) * waits.stop_pile_s[k]
        moved -= np.where(piled, done_in_stop - pile_wait, 0.0)


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
      variable. A full buffer's sheets ahead leave at the line rate r (the least station capacity: in the long
      run every station passes the line's flow, Little's law), and the sheet waits behind its own unit-mates
      too (a roll arrives whole: V u_up ahead, V uniform). In an empty buffer it waits for the sheets the
      station starts with to come in (a roll to laminate from smaller units: V b / r), or for its unit-mates
      ahead to be taken at the station's own drain rate d, less what its m idle machines take at once (a
      kiln load's 2,000 sheets into four backfill vacuums of 1,000 wait little: (V u_up - m u)^+ / d). Wait
      w_k = X_k (K_k + V_k u_up) / r + (1 - X_k) max(V_k b_k / r, (V_k u_up - m_k u_k)^+ / d_k) (the first
      term only where b > u_up, the second only where not); then the station holds it for its unit's time
      (a discrete station's lot as it comes, twin.line_buffers). Only the buffers inside the exposure window are
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
      calendar time (the plant's kilns do not pause): a load that finishes in a stop waits for the shift
      behind the kiln, in the pile the kiln's machines left, and its firing's part in the stop is done
      (:func:`_fired_through_stops`).

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
            # X (K + V u_up) / r + (1 - X) max(V b / r, (V u_up - m u)^+ / d) + hold, in place (a few arrays
            # of the sample; b / r is 0 unless the station starts on more than came in, and then the draining
            # part is 0: at most one of the two is not)
            row = times[k]
            empty = np.multiply(behind, waits.unit_drain_s[k])
            empty -= waits.taken_at_once_s[k]
            np.maximum(empty, behind * waits.forming_s[k], out=empty)
            np.maximum(empty, 0.0, out=empty)
            np.multiply(behind, waits.upstream_unit_s[k], out=row)
            row += waits.full_s[k]
            row -= empty
            row *= level
            row += empty
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
           "calendar_time_s", "scheduled_time_s",
           "exposure_window", "sheet_line_times_s", "steady_line_times_s",
           "zone_water_pressure_Pa"]
