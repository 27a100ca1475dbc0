"""A station: identical parallel machines between two buffers, with what they measure.

The three station kinds differ only in how a machine takes work and how long it takes
(:class:`StationSpec`), so the same class serves the plant model and synthetic queueing checks:

* continuous (roll-to-roll): waits for a full roll of ``unit_sheets`` sheets; works it in
  ``unit_process_time_s`` plus the roll change; pauses at shift ends.
* batch (kiln): waits for a full load, or fires a partial load after ``partial_load_wait_s``
  (see :meth:`twin.des.machine.Machine._wait_for_load`); the firing time and energy do not depend on the
  fill; a firing in progress runs to its end through a shift end (a kiln is not stopped mid-profile),
  and that off-shift firing time counts as available time of the station.
* discrete (per sheet): takes whatever is waiting, up to a lot of ``unit_sheets``; time and energy
  scale with the sheets in the lot; pauses at shift ends.

Physics never lives here: a station calls ``process_unit`` (``twin.sheet_physics`` in the plant) on the
unit it finished, then removes the sheets it scrapped, counted by cause.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import simpy

from twin.des.calendar import SECONDS_PER_DAY
from twin.des.machine import BLOCKED, BUSY, DOWN, MAINTENANCE, SETUP, STARVED, STATE_NAMES, Machine

# Machine states that draw idle power (in shift): waiting or setting up. A machine under repair or
# maintenance is isolated (assumption: lock-out during repair), and off shift it is switched off.
IDLE_POWER_STATES = (SETUP, STARVED, BLOCKED)


@dataclass(frozen=True)
class StationSpec:
    """How one station's machines take, work and release units (all times in seconds)."""

    name: str
    kind: str                        # continuous | batch | discrete
    machines: int
    unit_sheets: int                 # most sheets a machine takes: a roll, a full load, a lot
    min_unit_sheets: int             # sheets a machine waits for before it starts
    reference_sheets: int            # sheets the process and overhead times below refer to
    unit_process_time_s: float       # time to process `reference_sheets` (a batch: one firing)
    unit_overhead_s: float = 0.0     # roll change, load/unload
    time_scales_with_sheets: bool = True
    exponential_service: bool = False
    setup_s: float = 0.0
    mtbf_s: float = math.inf
    mttr_s: float = 0.0
    failure_distribution: str = "exponential"
    weibull_shape: float = 1.5
    maintenance_s_per_week: float = 0.0
    run_power_kW: float = 0.0
    idle_power_kW: float = 0.0
    unit_energy_kWh: float = 0.0     # energy of one reference unit (a firing for a kiln)
    pauses_at_shift_end: bool = True
    partial_load_wait_s: float = math.inf

    @property
    def ideal_time_per_sheet_s(self) -> float:
        """Processing time per sheet without overhead, setup or losses (the OEE reference)."""
        return self.unit_process_time_s / (self.reference_sheets if self.time_scales_with_sheets
                                           else self.unit_sheets)


class Station:
    """Machines of one kind in parallel, fed by ``inbound`` and feeding ``outbound``."""

    def __init__(self, env: simpy.Environment, spec: StationSpec, inbound, outbound, calendar, ledger,
                 machine_rngs: list, service_rng=None, process_unit: Callable | None = None,
                 step_index: int = 0, scrap_causes: tuple[str, ...] = (), warmup_s: float = 0.0,
                 interruption_hook=None):
        self.env = env
        self.spec = spec
        self.inbound = inbound
        self.outbound = outbound
        self.calendar = calendar
        self.ledger = ledger
        self.service_rng = service_rng
        self.process_unit = process_unit
        self.step_index = step_index
        self.scrap_causes = scrap_causes
        self.warmup_s = warmup_s
        # a batch kiln's breakdowns mid-firing (twin.firing_interruption.KilnInterruptions), or None
        self.interruption_hook = interruption_hook
        self.interrupted_units = 0          # measured
        # seconds of machine time per state (STATE_NAMES order), in shift and off shift; plain lists, as
        # they are added to at every state change (a numpy element costs more to update)
        self.in_shift_s = [0.0] * len(STATE_NAMES)
        self.off_shift_s = [0.0] * len(STATE_NAMES)
        self.sheets_in = 0                  # measured (after warm-up), counted at completion
        self.sheets_good_out = 0
        self.units_done = 0
        self.scrap_by_cause = np.zeros(max(len(scrap_causes), 1), dtype=np.int64)
        # measured cell pieces by cause: the live pieces of the sheets scrapped whole, and the pieces killed
        # one by one on sheets that went on (twin.piece_yield)
        self.pieces_scrapped_by_cause = np.zeros(max(len(scrap_causes), 1))
        self.pieces_lost_singly_by_cause = np.zeros(max(len(scrap_causes), 1))
        self.process_energy_kWh = 0.0       # measured
        self.idle_energy_kWh = 0.0          # measured
        self.energy_kWh_by_day: dict[int, float] = {}
        self.waiting_machines = 0
        self.active_since_s: float | None = None
        # start and end of each active period (no machine waiting), flat: 16 bytes a period, not a tuple's ~100
        self.active_periods = array("d")
        self.machines = [Machine(self, index, machine_rngs[index]) for index in range(spec.machines)]

    # -- work --
    def service_time_s(self, sheets: int, machine_rng) -> float:
        spec = self.spec
        scale = sheets / spec.reference_sheets if spec.time_scales_with_sheets else 1.0
        mean_s = (spec.unit_process_time_s + spec.unit_overhead_s) * scale
        if spec.exponential_service:
            rng = self.service_rng if self.service_rng is not None else machine_rng
            # a lot of k sheets with exponential service per sheet takes a Gamma(k) time
            return float(rng.gamma(sheets, mean_s / sheets))
        return mean_s

    def complete(self, unit, interruptions=None):
        """Apply the step's physics to a finished unit; return the good sheets, count the rest.

        ``interruptions``: records of breakdowns that stopped the unit's firing (see ``Machine._work``).
        """
        now = self.env.now
        sheets_in = unit.n
        if self.process_unit is not None:
            if interruptions:
                pieces_lost = self.process_unit(unit, interruptions)
            else:
                pieces_lost = self.process_unit(unit)
            if pieces_lost is not None and now >= self.warmup_s:
                # cell pieces by cause (twin.piece_yield.step_piece_losses): the scrap shares' unit
                whole, single = pieces_lost
                self.pieces_scrapped_by_cause += whole[: self.pieces_scrapped_by_cause.size]
                self.pieces_lost_singly_by_cause += single[: self.pieces_lost_singly_by_cause.size]
        good = unit
        # only the physics scraps sheets: a station without it passes the unit on untouched (a unit of
        # several store ranges is not moved into one for nothing)
        sheets = unit.sheets if self.process_unit is not None else None
        if sheets is not None:
            alive = sheets.alive
            sheets_good = int(np.count_nonzero(alive))
            if sheets_good < sheets_in:
                scrapped = ~alive
                counts = np.bincount(sheets.scrap_cause[scrapped], minlength=self.scrap_by_cause.size)
                self.ledger.record_scrapped(sheets_in - sheets_good, now)
                if now >= self.warmup_s:
                    self.scrap_by_cause += counts[: self.scrap_by_cause.size]
                good = unit.drop_scrapped()  # the scrapped sheets leave the line (and the store)
        spec = self.spec
        energy_kWh = spec.unit_energy_kWh * (sheets_in / spec.reference_sheets) if spec.time_scales_with_sheets \
            else spec.unit_energy_kWh
        if interruptions:
            energy_kWh += self.interruption_hook.extra_energy_kWh(interruptions)
            if now >= self.warmup_s:
                self.interrupted_units += 1
        day = int(now // SECONDS_PER_DAY)
        energy_by_day = self.energy_kWh_by_day
        energy_by_day[day] = energy_by_day.get(day, 0.0) + energy_kWh
        if now >= self.warmup_s:
            self.sheets_in += sheets_in
            self.sheets_good_out += good.n
            self.units_done += 1
            self.process_energy_kWh += energy_kWh
        return good

    # -- accounting --
    def record_state(self, state: int, start_s: float, end_s: float, shift_s: float | None = None) -> None:
        """Count ``[start_s, end_s)`` in ``state`` (only its part after the warm-up).

        ``shift_s`` is the shift time within the interval if the caller already knows it (a machine
        does: see ``Machine._switch``); otherwise the calendar is asked.
        """
        if start_s < self.warmup_s:
            start_s = self.warmup_s
            shift_s = None
        if end_s <= start_s:
            return
        if shift_s is None:
            shift_s = self.calendar.scheduled_s_between(start_s, end_s)
        self.in_shift_s[state] += shift_s
        self.off_shift_s[state] += (end_s - start_s) - shift_s
        if shift_s > 0 and self.spec.idle_power_kW > 0 and state in IDLE_POWER_STATES:
            energy_kWh = self.spec.idle_power_kW * shift_s / 3600.0
            self.idle_energy_kWh += energy_kWh
            day = int(end_s // SECONDS_PER_DAY)
            self.energy_kWh_by_day[day] = self.energy_kWh_by_day.get(day, 0.0) + energy_kWh

    def machine_became_waiting(self, now: float) -> None:
        self.waiting_machines += 1
        if self.waiting_machines == 1 and self.active_since_s is not None:
            if now > self.active_since_s:
                self.active_periods.extend((self.active_since_s, now))
            self.active_since_s = None

    def machine_became_active(self, now: float) -> None:
        self.waiting_machines -= 1
        if self.waiting_machines == 0:
            self.active_since_s = now

    def close_accounts(self) -> None:
        for machine in self.machines:
            machine.close_accounts()
        now = self.env.now
        if self.active_since_s is not None and now > self.active_since_s:
            self.active_periods.extend((self.active_since_s, now))
            self.active_since_s = now

    def active_periods_array(self) -> np.ndarray:
        """The active periods as a (periods x 2) array of start and end times [s], in time order."""
        return np.frombuffer(self.active_periods, dtype=float).reshape(-1, 2).copy()

    @property
    def holding_sheets(self) -> int:
        return sum(machine.holding_sheets for machine in self.machines)

    @property
    def failures(self) -> int:
        return sum(machine.failures for machine in self.machines)

    def time_fractions(self) -> dict[str, float]:
        """Utilisation, availability and the other shares of this station's measured time.

        Scheduled time is shift time times machines, plus kiln firing that ran past a shift end.
        Available time is scheduled time less breakdowns, maintenance and shift-start setup
        (twin.plant_metrics); utilisation is busy time over available time; blocked, starved, setup
        and down are shares of scheduled time.
        """
        in_shift_s = np.array(self.in_shift_s)
        off_shift_s = np.array(self.off_shift_s)
        scheduled = in_shift_s.sum() + off_shift_s[BUSY]
        if scheduled <= 0:
            return {"utilization": 0.0, "availability": 0.0, "blocked_fraction": 0.0, "starved_fraction": 0.0,
                    "setup_fraction": 0.0, "down_fraction": 0.0, "scheduled_machine_h": 0.0,
                    "available_machine_h": 0.0, "busy_machine_h": 0.0}
        busy = in_shift_s[BUSY] + off_shift_s[BUSY]
        lost = in_shift_s[DOWN] + in_shift_s[MAINTENANCE] + in_shift_s[SETUP]
        available = scheduled - lost
        return {
            "utilization": busy / available if available > 0 else 0.0,
            "availability": available / scheduled,
            "blocked_fraction": in_shift_s[BLOCKED] / scheduled,
            "starved_fraction": in_shift_s[STARVED] / scheduled,
            "setup_fraction": in_shift_s[SETUP] / scheduled,
            "down_fraction": in_shift_s[DOWN] / scheduled,
            "scheduled_machine_h": scheduled / 3600.0,
            "available_machine_h": available / 3600.0,
            "busy_machine_h": busy / 3600.0,
        }


__all__ = ["IDLE_POWER_STATES", "Station", "StationSpec"]
