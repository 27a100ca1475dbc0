"""One machine of a station: a SimPy process that takes a unit, works it, and passes it on.

The machine's life is a loop: wait for a shift, planned maintenance when due, setup at the first unit
of each shift, take a unit from the inbound buffer (starved while it waits), work it (breakdowns and
shift ends interrupt the work and the remaining work is kept), hand the good sheets to the outbound
buffer (blocked while it does not fit).

Breakdowns follow the machine's busy-time clock: the time to failure (MTBF, exponential or Weibull) is
consumed only while the machine processes, as MTBF is counted in operating hours. Because that clock
is known when a work segment starts, the breakdown is scheduled as the end of the segment instead of
a separate failure process calling ``Process.interrupt``: the effect is the same (the unit stops,
the machine is repaired, the remaining work is resumed) at one event per segment instead of three,
which is what lets a year of a gigafactory run in seconds. Repairs take an exponential time with mean
MTTR (assumption: the usual choice when only MTTR is known, Law 2015 "Simulation Modeling and
Analysis" §13.3).
"""

from __future__ import annotations

import math

import simpy

BUSY, SETUP, DOWN, MAINTENANCE, STARVED, BLOCKED, OFF_SHIFT = range(7)
STATE_NAMES = ("busy", "setup", "down", "maintenance", "starved", "blocked", "off_shift")
WAITING_STATES = frozenset((STARVED, BLOCKED, OFF_SHIFT))
WEEK_S = 7 * 86400.0
# Below this many seconds a leftover of floating-point subtraction is not work.
TIME_EPSILON_S = 1e-9


class Machine:
    """One machine of ``station``; starts its SimPy process on construction (SimPy's pattern)."""

    def __init__(self, station, index: int, rng):
        self.station = station
        self.index = index
        self.rng = rng
        self.env: simpy.Environment = station.env
        self.calendar = station.calendar
        self.spec = station.spec
        self.state = STARVED
        self.state_since_s = self.env.now
        station.waiting_machines += 1
        self.holding_sheets = 0
        self.setup_shift = -1
        self.failures = 0
        self.busy_s_to_failure = self._draw_time_to_failure_s()
        # stagger planned maintenance across the machines of a station over the week
        self.next_maintenance_s = (index + 0.5) / self.spec.machines * WEEK_S
        self.process = self.env.process(self._run())

    # -- random draws (the machine's own stream: common random numbers across scenarios) --
    def _draw_time_to_failure_s(self) -> float:
        spec = self.spec
        if not math.isfinite(spec.mtbf_s):
            return math.inf
        if spec.failure_distribution == "weibull":
            scale = spec.mtbf_s / math.gamma(1.0 + 1.0 / spec.weibull_shape)
            return float(scale * self.rng.weibull(spec.weibull_shape))
        return float(self.rng.exponential(spec.mtbf_s))

    def _draw_repair_s(self) -> float:
        return float(self.rng.exponential(self.spec.mttr_s)) if self.spec.mttr_s > 0 else 0.0

    # -- state accounting --
    def _switch(self, new_state: int) -> None:
        now = self.env.now
        old_state = self.state
        if new_state == old_state:
            return
        if now > self.state_since_s:
            self.station.record_state(old_state, self.state_since_s, now)
        station = self.station
        was_waiting = old_state in WAITING_STATES
        is_waiting = new_state in WAITING_STATES
        if was_waiting and not is_waiting:
            station.machine_became_active(now)
        elif is_waiting and not was_waiting:
            station.machine_became_waiting(now)
        self.state = new_state
        self.state_since_s = now

    def close_accounts(self) -> None:
        """Record the current state up to now (end of the run)."""
        now = self.env.now
        if now > self.state_since_s:
            self.station.record_state(self.state, self.state_since_s, now)
        self.state_since_s = now

    # -- the machine's life --
    def _run(self):
        station = self.station
        spec = self.spec
        while True:
            yield from self._await_shift()
            yield from self._maintenance_if_due()
            yield from self._setup_if_new_shift()
            unit = station.inbound.take_now(spec.unit_sheets, spec.min_unit_sheets)
            if unit is None:
                self._switch(STARVED)
                unit = yield from self._wait_for_input()
            self.holding_sheets = unit.n
            yield from self._await_shift()
            yield from self._setup_if_new_shift()
            yield from self._work(station.service_time_s(unit.n, self.rng))
            good = station.complete(unit)
            self.holding_sheets = good.n
            if good.n and not station.outbound.offer(good):
                self._switch(BLOCKED)
                yield station.outbound.put(good)
            self.holding_sheets = 0

    def _await_shift(self):
        now = self.env.now
        start = self.calendar.next_start_s(now)
        if start > now:
            self._switch(OFF_SHIFT)
            if math.isinf(start):
                yield self.env.event()  # past the calendar: the run ends before this
            yield self.env.timeout(start - now)

    def _setup_if_new_shift(self):
        if self.spec.setup_s <= 0:
            return
        shift = self.calendar.shift_index(self.env.now)
        if shift >= 0 and shift != self.setup_shift:
            self.setup_shift = shift
            self._switch(SETUP)
            yield self.env.timeout(self.spec.setup_s)

    def _maintenance_if_due(self):
        if self.spec.maintenance_s_per_week <= 0 or self.env.now < self.next_maintenance_s:
            return
        while self.next_maintenance_s <= self.env.now:
            self.next_maintenance_s += WEEK_S
        self._switch(MAINTENANCE)
        yield self.env.timeout(self.spec.maintenance_s_per_week)

    def _wait_for_input(self):
        spec = self.spec
        inbound = self.station.inbound
        if not math.isfinite(spec.partial_load_wait_s) or spec.min_unit_sheets <= 1:
            unit = yield inbound.take(spec.unit_sheets, spec.min_unit_sheets)
            return unit
        # Loading policy of a batch station: fire when a full load is waiting; if a full load has not
        # gathered within `partial_load_wait_s`, fire whatever is waiting (at least one sheet).
        while True:
            request = inbound.take(spec.unit_sheets, spec.min_unit_sheets)
            timer = self.env.timeout(spec.partial_load_wait_s)
            yield request | timer
            if request.triggered:
                return request.value
            inbound.cancel_take(request)
            unit = inbound.take_now(spec.unit_sheets, 1)
            if unit is not None:
                return unit

    def _work(self, duration_s: float):
        """Process for ``duration_s`` of machine time, through shift ends and breakdowns."""
        env = self.env
        spec = self.spec
        remaining_s = duration_s
        while remaining_s > TIME_EPSILON_S:
            if spec.pauses_at_shift_end:
                yield from self._await_shift()
                yield from self._setup_if_new_shift()
                shift_left_s = self.calendar.shift_end_s(self.calendar.shift_index(env.now)) - env.now
                segment_s = min(remaining_s, shift_left_s, self.busy_s_to_failure)
            else:
                segment_s = min(remaining_s, self.busy_s_to_failure)
            self._switch(BUSY)
            yield env.timeout(segment_s)
            remaining_s -= segment_s
            self.busy_s_to_failure -= segment_s
            if self.busy_s_to_failure <= TIME_EPSILON_S:
                self.failures += 1
                self._switch(DOWN)
                yield env.timeout(self._draw_repair_s())
                self.busy_s_to_failure = self._draw_time_to_failure_s()


__all__ = ["BLOCKED", "BUSY", "DOWN", "MAINTENANCE", "Machine", "OFF_SHIFT", "SETUP", "STARVED", "STATE_NAMES",
           "WAITING_STATES"]
