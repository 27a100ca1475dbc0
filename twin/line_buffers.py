"""The buffers of a line as the evaluation draws a sheet's wait in them: their size, the law of their level,
the units that arrive and leave, and each station's hold (twin.sheet_exposure draws from them).

The plant (twin.des) builds the same buffers and units (twin.des.plant.station_spec, build_plant); the level
law is the reflected Brownian buffer of twin.buffer_levels, its tilt 2 mu K / sigma^2 from the line's mean
capacities and each station's drain rate (mu) and the stations' breakdowns and units (sigma^2). Checked against
the plant in
docs/calibration/buffer_waits.md (benchmarks/bench_buffer_waits.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.buffer_levels import breakdown_unit_scv, departure_scv, diffusion_tilt, full_share, mean_level_fraction
from twin.capacity import station_timings
from twin.scenario import Scenario


@dataclass(frozen=True)
class BufferWaits:
    """Per route step, the buffer in front of it and the station's own hold, as the plant builds them
    (the first step has no buffer: zeros). Sheets are turned into time at the line rate r [sheets/s], or at
    the station's drain rate d where the station works off what is in front of it (:func:`buffered_waits`)."""

    full_s: np.ndarray          # K / r: the buffer full [s]
    tilt: np.ndarray            # 2 mu K / sigma^2: the level law's tilt (twin.buffer_levels) [-]
    upstream_unit_s: np.ndarray  # u_up / r: a unit from upstream arrives whole [s]
    forming_s: np.ndarray       # b / r where the station starts on more than arrives at once (b > u_up), else 0 [s]
    hold_s: np.ndarray          # the station's time on its unit: a roll, a kiln load, a discrete lot as it comes [s]
    load: np.ndarray            # rho: upstream capacity / downstream capacity [-]
    through_stops: np.ndarray   # the station works its unit through the calendar's stops (a batch kiln) [bool]
    unit_drain_s: np.ndarray    # u_up / d: the station working off a unit that came in whole [s]
    taken_at_once_s: np.ndarray  # m u / d: what its idle machines take at once (m machines, u each) [s]
    drain_per_s: np.ndarray     # d: the rate the station takes sheets from its buffer, blocking included [sheets/s]
    stop_pile_s: np.ndarray     # a station working through stops: its machines' units, m u, at the next one's d [s]


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
    """Each buffer's size, level law and units, and each station's hold, as twin.des.plant builds the line.

    The level in front of step k tilts by a = 2 mu K / sigma^2 (twin.buffer_levels.diffusion_tilt): mu = a_k -
    d_k, a_k = min(capacity of steps < k) what the line upstream can bring, d_k the rate at which station k
    takes sheets away (:func:`_drain_rates`: the bottleneck's capacity in front of it; behind it the station's
    own, held back to a slower station's further down only as often as the buffer behind it has no room for its
    unit), sigma^2 the buffer's variance rate
    (:func:`_buffer_variance_rates`). In front of the bottleneck the buffers behind are full, d_k is the
    bottleneck's capacity and the buffer runs full (blocking); behind it every station drains at its own pace,
    and a buffer in front of a station twice the line's rate runs nearly empty. (Before round 11 every buffer
    behind the bottleneck drained at the slowest capacity downstream, as if the buffers between were always
    full: oxide_backfill's scaffolds waited 6.9 ks in front of the polymer backfill, against the plant's
    0.8 ks; docs/calibration/buffer_waits.md.) Capacities per scheduled hour, availability and the shift setup
    included (twin.capacity). K is the buffer the plant builds: the configured size, or at least an upstream
    unit plus what the station waits for (twin.des.plant.build_plant); the units are the plant's
    (twin.des.plant.station_spec: a roll, a kiln load, a discrete station's lot, which takes what is waiting up
    to one hour of one machine's work and books it as finished when the whole lot is).

    A discrete station's lot as it comes is the unit that came in plus the mean level it finds, capped at its
    lot (a station faster than the line takes each kiln load or roll as it arrives, not an hour's work): its
    hold and the unit it passes on (assumption: the mean level, not its spread, sets the lot).
    """
    from twin.des.plant import station_spec

    timings = list(station_timings(scenario).values())
    specs, largest_unit = [], 1
    for timing in timings:
        specs.append(station_spec(timing, scenario, largest_unit))
        if timing.station_kind != "discrete":
            largest_unit = max(largest_unit, timing.unit_sheets)
    capacity = np.array([timing.capacity_sheets_per_hour for timing in timings]) / 3600.0
    rate_per_s = capacity.min()
    steps = len(timings)
    full, tilt, upstream_unit, forming, hold, load, unit_drain, at_once = (np.zeros(steps) for _ in range(8))
    buffers = scenario.line.buffers
    sizes = np.zeros(steps)
    for k in range(1, steps):
        sizes[k] = max(int(buffers.before.get(specs[k].name, buffers.default_capacity_sheets)),
                       specs[k - 1].unit_sheets + specs[k].min_unit_sheets)
    variance = _buffer_variance_rates(scenario, specs, capacity, rate_per_s)
    drain, tilt = _drain_rates(specs, capacity, variance, sizes)
    unit_in = float(specs[0].unit_sheets)    # the unit the previous station passes on, as it comes [sheets]
    for k, spec in enumerate(specs):
        sheets = float(spec.unit_sheets)
        if k > 0 and rate_per_s > 0:
            if spec.kind == "discrete":
                sheets = min(sheets, unit_in + mean_level_fraction(float(tilt[k])) * sizes[k])
            load[k] = capacity[:k].min() / capacity[k:].min()
            full[k] = sizes[k] / rate_per_s
            upstream_unit[k] = unit_in / rate_per_s
            # an empty buffer: the sheet waits for the unit its station starts on to form (more than came in), or
            # for its unit-mates ahead to be taken, at the station's pace, beyond what its idle machines take at once
            forming[k] = spec.min_unit_sheets / rate_per_s if spec.min_unit_sheets > unit_in else 0.0
            unit_drain[k] = unit_in / drain[k]
            at_once[k] = spec.machines * spec.unit_sheets / drain[k]
        scale = sheets / spec.reference_sheets if spec.time_scales_with_sheets else 1.0
        hold[k] = (spec.unit_process_time_s + spec.unit_overhead_s) * scale
        unit_in = sheets
    if rate_per_s <= 0:
        tilt[:] = 0.0
    through_stops = np.array([not spec.pauses_at_shift_end for spec in specs], dtype=bool)
    # what a kiln's machines leave over a stop, worked off by the next station (twin.sheet_exposure)
    pile = np.zeros(steps)
    for k in np.flatnonzero(through_stops[:-1]):
        pile[k] = specs[k].machines * specs[k].unit_sheets / drain[k + 1]
    arrays = (full, tilt, upstream_unit, forming, hold, load, through_stops, unit_drain, at_once, drain, pile)
    for array in arrays:
        array.flags.writeable = False  # shared by every sample of the scenario (buffer_waits' cache)
    return BufferWaits(*arrays)


def _drain_rates(specs, capacity_per_s: np.ndarray, variance: np.ndarray,
                 sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(d_k, tilt_k) per step [sheets/s, -]: the rate at which station k takes sheets from the buffer in front.

    In front of the line's bottleneck (its first station of least capacity) d_k = min(capacity of steps >= k):
    the stations upstream can make more than it takes, the excess is held back by blocking through full
    buffers, and every station there passes the bottleneck's pace. Behind it every station is faster than the
    flow it gets and is held back only while the buffer behind it has no room for its unit, a share beta of the
    time, when it passes sheets at the pace the next one takes them: d_k = (1 - beta) c_k + beta min(c_k,
    d_(k+1)), beta = P(buffer k + 1's level above K - u_k) under its law (twin.buffer_levels.full_share), from
    the last station back (it is never blocked). The decomposition of a tandem line into two-station lines
    linked by blocking (Gershwin, Manufacturing Systems Engineering, 1994, ch. 3-4), in one pass with the level
    law in place of the two-machine line's exact solution (assumption).
    """
    steps = len(specs)
    bottleneck = int(np.argmin(capacity_per_s))
    drain = np.array(capacity_per_s, dtype=float)
    tilt = np.zeros(steps)
    for k in range(steps - 1, 0, -1):
        if k <= bottleneck:
            drain[k] = capacity_per_s[k:].min()
        elif k < steps - 1:
            blocked = full_share(float(tilt[k + 1]), specs[k].unit_sheets / sizes[k + 1])
            drain[k] = (1.0 - blocked) * capacity_per_s[k] + blocked * min(capacity_per_s[k], drain[k + 1])
        tilt[k] = diffusion_tilt(capacity_per_s[:k].min() - drain[k], variance[k], sizes[k])
    return drain, tilt


def mean_buffer_waits_s(waits: BufferWaits) -> np.ndarray:
    """Per step, the mean wait in the buffer in front of it, the station's hold excluded [s] (first step: 0).

    E[X (K + V u_up) / r + (1 - X) max(V b / r, (V u_up - m u)^+ / d)], X the level (mean m(a),
    twin.buffer_levels), V uniform: m(a) (K + u_up / 2) / r + (1 - m(a)) (b / (2 r) + (D - A)^+^2 / (2 D)),
    D = u_up / d, A = m u / d (the forming and the draining cases exclude each other: b > u_up <= m u).
    """
    filled_share = np.array([mean_level_fraction(float(a)) for a in waits.tilt])
    over = np.maximum(waits.unit_drain_s - waits.taken_at_once_s, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        draining = np.where(waits.unit_drain_s > 0, over ** 2 / (2.0 * waits.unit_drain_s), 0.0)
    return (filled_share * (waits.full_s + 0.5 * waits.upstream_unit_s)
            + (1.0 - filled_share) * (0.5 * waits.forming_s + draining))


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


__all__ = ["BufferWaits", "buffer_waits", "buffered_waits", "mean_buffer_waits_s"]
