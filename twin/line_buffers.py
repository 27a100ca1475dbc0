"""The buffers of a line as the evaluation draws a sheet's wait in them: their size, the law of their level,
the units that arrive and leave, and each station's hold (twin.sheet_exposure draws from them).

The plant (twin.des) builds the same buffers and units (twin.des.plant.station_spec, build_plant); the level
law is the reflected Brownian buffer of twin.buffer_levels, its tilt 2 mu K / sigma^2 from the line's mean
capacities (mu) and the stations' breakdowns and units (sigma^2). Checked against the plant in
docs/calibration/buffer_waits.md (benchmarks/bench_buffer_waits.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.buffer_levels import breakdown_unit_scv, departure_scv, diffusion_tilt
from twin.capacity import station_timings
from twin.scenario import Scenario


@dataclass(frozen=True)
class BufferWaits:
    """Per route step, the buffer in front of it and the station's own hold, as the plant builds them
    (the first step has no buffer: zeros). Sheets are turned into time at the line rate r [sheets/s]."""

    full_s: np.ndarray          # K / r: the buffer full [s]
    tilt: np.ndarray            # 2 mu K / sigma^2: the level law's tilt (twin.buffer_levels) [-]
    upstream_unit_s: np.ndarray  # u_up / r: a unit from upstream arrives whole [s]
    forming_s: np.ndarray       # max(b, u_up) / r: the unit the station starts on, or the one that came in [s]
    hold_s: np.ndarray          # the station's time on its unit: a roll, a kiln load, a one-hour lot [s]
    load: np.ndarray            # rho: upstream capacity / downstream capacity [-]
    through_stops: np.ndarray   # the station works its unit through the calendar's stops (a batch kiln) [bool]


# buffer waits by (line, route) objects: the evaluation asks once per sample; the entry keeps both alive so an
# id is never reused
_BUFFER_WAITS: dict[tuple[int, int], tuple[object, object, BufferWaits]] = {}


def buffer_waits(scenario: Scenario) -> BufferWaits:
    """:func:`buffered_waits` of the scenario, computed once per line and route object."""
    key = (id(scenario.line), id(scenario.route))
    cached = _BUFFER_WAITS.get(key)
    if cached is not None and cached[0] is scenario.line and cached[1] is scenario.route:
        return cached[2]
    waits = buffered_waits(scenario)
    if len(_BUFFER_WAITS) > 256:
        _BUFFER_WAITS.clear()
    _BUFFER_WAITS[key] = (scenario.line, scenario.route, waits)
    return waits


def buffered_waits(scenario: Scenario) -> BufferWaits:
    """Each buffer's size, load and units, and each station's hold, as twin.des.plant builds the line.

    The load of the buffer in front of step k is rho_k = min(capacity of steps < k) / min(capacity of steps
    >= k): what the line upstream can bring over what the line downstream can take away, a slower station
    further down blocking back through full buffers (capacities per scheduled hour, availability and the
    shift setup included, twin.capacity). In front of the line's bottleneck rho >= 1, behind it rho <= 1.
    The level's tilt is the reflected Brownian buffer's, 2 mu K / sigma^2, mu the same two capacities'
    difference [sheets/s], sigma^2 the buffer's variance rate (:func:`_buffer_variance_rates`): near
    balance the level wanders with the breakdowns instead of sitting full or empty (the M/M/1/K of
    single sheets, K ln(rho), said full or empty: gigafactory and oxide_cosintered against the plant).
    K is the buffer the plant builds: the configured size, or at least an upstream unit plus what the
    station waits for (twin.des.plant.build_plant); the units are the plant's (twin.des.plant.station_spec:
    a roll, a kiln load, a discrete station's lot of at most one hour of one machine's work, which the
    plant books as finished when the whole lot is).
    """
    from twin.des.plant import station_spec

    timings = list(station_timings(scenario).values())
    specs, largest_unit = [], 1
    for timing in timings:
        specs.append(station_spec(timing, scenario, largest_unit))
        if timing.station_kind != "discrete":
            largest_unit = max(largest_unit, timing.unit_sheets)
    capacity = np.array([timing.capacity_sheets_per_hour for timing in timings])
    rate_per_s = capacity.min() / 3600.0
    steps = len(timings)
    full, tilt, upstream_unit, forming, hold, load = (np.zeros(steps) for _ in range(6))
    buffers = scenario.line.buffers
    variance = _buffer_variance_rates(scenario, specs, capacity / 3600.0, rate_per_s)
    for k, spec in enumerate(specs):
        scale = spec.unit_sheets / spec.reference_sheets if spec.time_scales_with_sheets else 1.0
        hold[k] = (spec.unit_process_time_s + spec.unit_overhead_s) * scale
        if k == 0 or rate_per_s <= 0:
            continue
        upstream = specs[k - 1]
        size = max(int(buffers.before.get(spec.name, buffers.default_capacity_sheets)),
                   upstream.unit_sheets + spec.min_unit_sheets)
        load[k] = capacity[:k].min() / capacity[k:].min()
        # the level in sheets: checked against the plant (benchmarks/bench_buffer_waits.py)
        tilt[k] = diffusion_tilt((capacity[:k].min() - capacity[k:].min()) / 3600.0, variance[k], size)
        full[k] = size / rate_per_s
        upstream_unit[k] = upstream.unit_sheets / rate_per_s
        # an empty buffer: the sheet waits for the unit its station starts on to form, or for the unit it
        # came in (a roll, a kiln load) to be worked off ahead of it, whichever is larger
        forming[k] = max(spec.min_unit_sheets, upstream.unit_sheets) / rate_per_s
    through_stops = np.array([not spec.pauses_at_shift_end for spec in specs], dtype=bool)
    for array in (full, tilt, upstream_unit, forming, hold, load, through_stops):
        array.flags.writeable = False  # shared by every sample of the scenario (buffer_waits' cache)
    return BufferWaits(full, tilt, upstream_unit, forming, hold, load, through_stops)


def _buffer_variance_rates(scenario: Scenario, specs, capacity_per_s: np.ndarray, rate_per_s: float) -> np.ndarray:
    """Variance rate sigma^2 of each buffer's content [sheets^2/s]: the units coming in plus the station's
    own drain (the first step: 0).

    Each station's effective unit time carries its breakdowns, c_e^2 (twin.buffer_levels.breakdown_unit_scv,
    Hopp & Spearman 2008: the plant's unit times are fixed, its repairs exponential); its departures carry
    what arrived and what it adds, c_d^2 (departure_scv, Whitt's QNA 1983, at utilisation r / capacity); the
    first station never starves, so it sends its own. In sheets: a process of units of u sheets at r sheets/s
    with SCV c^2 has variance rate r u c^2. The buffer in front of station k sees the departures of k - 1 and
    the drain of k at the line rate (the plant's breakdowns follow each machine's busy clock,
    twin.des.machine: a station that works a share r / capacity of the time fails that much less often).
    Weibull failures are taken as exponential ones of the same MTBF (assumption: only MTBF enters c_e^2).
    """
    stations = scenario.line.stations
    variance = np.zeros(len(specs))
    departures = 0.0   # variance rate of the previous station's departures [sheets^2/s]
    for k, spec in enumerate(specs):
        station = stations[spec.name]
        scale = spec.unit_sheets / spec.reference_sheets if spec.time_scales_with_sheets else 1.0
        unit_time_s = (spec.unit_process_time_s + spec.unit_overhead_s) * scale
        availability = (station.mtbf_h / (station.mtbf_h + station.mttr_h) if np.isfinite(station.mtbf_h)
                        else 1.0)
        service = breakdown_unit_scv(unit_time_s, availability, station.mttr_h * 3600.0)
        if k == 0:
            departure = service
        else:
            variance[k] = departures + rate_per_s * spec.unit_sheets * service
            arrival = departures / (rate_per_s * spec.unit_sheets)
            departure = departure_scv(arrival, service, rate_per_s / capacity_per_s[k], spec.machines)
        departures = rate_per_s * spec.unit_sheets * departure
    return variance


__all__ = ["BufferWaits", "buffer_waits", "buffered_waits"]
