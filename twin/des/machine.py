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
_IS_WAITING = tuple(state in WAITING_STATES for state in range(len(STATE_NAMES)))  # by state, for _switch
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
        self.state_since_scheduled_s = self.calendar.scheduled_s_until(self.state_since_s)  # shift time up to it
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
        old_state = self.state
        if new_state == old_state:
            return
        now = self.env.now
        station = self.station
        if now > self.state_since_s:
            # the shift time up to `now` ends this state and starts the next: look it up once
            scheduled_s = self.calendar.scheduled_s_until(now)
            station.record_state(old_state, self.state_since_s, now, scheduled_s - self.state_since_scheduled_s)
            self.state_since_scheduled_s = scheduled_s
        was_waiting = _IS_WAITING[old_state]
        if was_waiting != _IS_WAITING[new_state]:
            if was_waiting:
                station.machine_became_active(now)
            else:
                station.machine_became_waiting(now)
        self.state = new_state
        self.state_since_s = now

    def close_accounts(self) -> None:
        """Record the current state up to now (end of the run)."""
        now = self.env.now
        if now > self.state_since_s:
            self.station.record_state(self.state, self.state_since_s, now)
        self.state_since_s = now
        self.state_since_scheduled_s = self.calendar.scheduled_s_until(now)

    # -- the machine's life --
    # The checks "off shift?", "maintenance due?" and "new shift, so setup?" run several times per
    # unit and almost always find nothing to do: they are tested here, and only the rare waits are
    # generators, so that a unit costs few Python frames.
    def _run(self):
        env = self.env
        calendar = self.calendar
        station = self.station
        spec = self.spec
        inbound = station.inbound
        outbound = station.outbound
        want, at_least = spec.unit_sheets, spec.min_unit_sheets
        maintains = spec.maintenance_s_per_week > 0
        sets_up = spec.setup_s > 0
        fires_partial_loads = math.isfinite(spec.partial_load_wait_s) and at_least > 1
        while True:
            if calendar.shift_index(env.now) < 0:
                yield from self._await_shift()
            if maintains and env.now >= self.next_maintenance_s:
                yield from self._maintenance()
            if sets_up:
                shift = calendar.shift_index(env.now)
                if shift >= 0 and shift != self.setup_shift:
                    yield from self._setup(shift)
            unit = inbound.take_now(want, at_least)
            if unit is None:
                self._switch(STARVED)
                if fires_partial_loads:
                    unit = yield from self._wait_for_load()
                else:
                    unit = yield inbound.take(want, at_least)
            self.holding_sheets = unit.n
            if not self._ready_to_work():
                yield from self._start_shift()
            interruptions = yield from self._work(station.service_time_s(unit.n, self.rng))
            good = station.complete(unit, interruptions)
            self.holding_sheets = good.n
            if good.n and not outbound.offer(good):
                self._switch(BLOCKED)
                yield outbound.put(good)
            self.holding_sheets = 0

    def _await_shift(self):
        """Off shift until the next shift starts (nothing if a shift is running)."""
        now = self.env.now
        start = self.calendar.next_start_s(now)
        if start > now:
            self._switch(OFF_SHIFT)
            if math.isinf(start):
                yield self.env.event()  # past the calendar: the run ends before this
            yield self.env.timeout(start - now)

    def _ready_to_work(self) -> bool:
        """A shift is running and this machine has set up for it."""
        shift = self.calendar.shift_index(self.env.now)
        return shift >= 0 and (shift == self.setup_shift or self.spec.setup_s <= 0)

    def _start_shift(self):
        """Wait for the next shift if none is running, then set up if it is new to this machine."""
        yield from self._await_shift()
        if self.spec.setup_s > 0:
            shift = self.calendar.shift_index(self.env.now)
            if shift >= 0 and shift != self.setup_shift:
                yield from self._setup(shift)

    def _setup(self, shift: int):
        """Set up for ``shift`` (the first unit of a new shift)."""
        self.setup_shift = shift
        self._switch(SETUP)
        yield self.env.timeout(self.spec.setup_s)

    def _maintenance(self):
        """Planned maintenance, due now; the next is a week later."""
        while self.next_maintenance_s <= self.env.now:
            self.next_maintenance_s += WEEK_S
        self._switch(MAINTENANCE)
        yield self.env.timeout(self.spec.maintenance_s_per_week)

    def _wait_for_load(self):
        """Loading policy of a batch station: fire when a full load is waiting; if a full load has not
        gathered within ``partial_load_wait_s``, fire whatever is waiting (at least one sheet)."""
        spec = self.spec
        inbound = self.station.inbound
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
        """Process for ``duration_s`` of machine time, through shift ends and breakdowns.

        Returns the records of breakdowns that interrupted a kiln firing (None if there were none): the
        station's ``interruption_hook`` turns each into a record and the work left on the unit.
        """
        env = self.env
        calendar = self.calendar
        pauses = self.spec.pauses_at_shift_end
        hook = self.station.interruption_hook
        remaining_s = duration_s
        worked_s = 0.0
        interruptions = None
        while remaining_s > TIME_EPSILON_S:
            if pauses:
                if not self._ready_to_work():
                    yield from self._start_shift()
                shift_left_s = calendar.shift_end_s(calendar.shift_index(env.now)) - env.now
                segment_s = min(remaining_s, shift_left_s, self.busy_s_to_failure)
            else:
                segment_s = min(remaining_s, self.busy_s_to_failure)
            if self.state != BUSY:  # often busy already: the last unit or segment ended without a wait
                self._switch(BUSY)
            yield env.timeout(segment_s)
            remaining_s -= segment_s
            worked_s += segment_s
            self.busy_s_to_failure -= segment_s
            if self.busy_s_to_failure <= TIME_EPSILON_S:
                self.failures += 1
                self._switch(DOWN)
                repair_s = self._draw_repair_s()
                yield env.timeout(repair_s)
                self.busy_s_to_failure = self._draw_time_to_failure_s()
                if hook is not None and remaining_s > TIME_EPSILON_S:
                    outcome = hook.interrupted(worked_s, repair_s, interruptions or [])
                    if outcome is not None:
                        record, remaining_s = outcome
                        interruptions = (interruptions or []) + [record]
        return interruptions


__all__ = ["BLOCKED", "BUSY", "DOWN", "MAINTENANCE", "Machine", "OFF_SHIFT", "SETUP", "STARVED", "STATE_NAMES",
           "WAITING_STATES"]
