"""Shift calendar of a line: when machines may work, in simulation seconds.

Policy (documented choices, not sourced data):

* Day 0 of a simulation is a Monday at 00:00. The first ``days_per_week`` days of every week are
  working days; the rest of the week is off (e.g. ``days_per_week: 5`` gives weekends off).
* ``holidays_per_year`` working days per 365-day year are off, spread evenly over the year's working
  days (e.g. 25 holidays on a 7-day week: about one every two weeks), so a short run sees its share.
* A working day has ``shifts_per_day`` back-to-back shifts of ``hours_per_shift`` starting at 00:00.
  Consecutive shifts touch (3 x 8 h covers the day) but remain separate shifts: each shift start costs
  the station's setup time, as in :attr:`twin.capacity.StationTiming.setup_factor`.
"""

from __future__ import annotations

import bisect
import math

SECONDS_PER_DAY = 86400.0
DAYS_PER_YEAR = 365


class ShiftCalendar:
    """Working windows ``[start_s, end_s)`` of a line up to ``horizon_s`` (and a margin beyond)."""

    def __init__(self, shifts_per_day: int, hours_per_shift: float, days_per_week: int,
                 holidays_per_year: int = 0, horizon_s: float = 365 * SECONDS_PER_DAY):
        self.shift_length_s = hours_per_shift * 3600.0
        # failure and repair clocks may run past the horizon: keep two years of margin
        days = int(math.ceil(horizon_s / SECONDS_PER_DAY)) + 2 * DAYS_PER_YEAR
        off_days = _holiday_days(days, days_per_week, holidays_per_year)
        self.starts: list[float] = []
        self.ends: list[float] = []
        for day in range(days):
            if day % 7 >= days_per_week or day in off_days:
                continue
            for shift in range(shifts_per_day):
                start = day * SECONDS_PER_DAY + shift * self.shift_length_s
                self.starts.append(start)
                self.ends.append(start + self.shift_length_s)
        self._cumulative_s = [0.0]
        for start, end in zip(self.starts, self.ends, strict=True):
            self._cumulative_s.append(self._cumulative_s[-1] + end - start)
        # the shift last found by a look-up (none yet: an empty interval)
        self._known_index = -1
        self._known_start_s = 0.0
        self._known_end_s = 0.0

    @classmethod
    def from_scenario(cls, scenario, horizon_s: float) -> ShiftCalendar:
        shifts = scenario.line.shifts
        return cls(int(shifts.shifts_per_day), float(shifts.hours_per_shift), int(shifts.days_per_week),
                   int(shifts.holidays_per_year), horizon_s)

    @classmethod
    def always_open(cls, horizon_s: float) -> ShiftCalendar:
        """Round-the-clock calendar (one 12 h shift after another), for queueing checks."""
        calendar = cls(2, 12.0, 7, 0, horizon_s)
        return calendar

    # Every machine asks the calendar "which shift is running now?" at every state change, and
    # simulation time only moves forward: the calendar remembers the last shift it found, so almost
    # every question is answered by two comparisons instead of a binary search.
    def _find_shift(self, time_s: float) -> int:
        """Index of the shift running at ``time_s`` (-1 off shift) by binary search; remembers it."""
        index = bisect.bisect_right(self.starts, time_s) - 1
        if index >= 0 and time_s < self.ends[index]:
            self._known_index = index
            self._known_start_s = self.starts[index]
            # (consecutive shifts touch; should round-off make them overlap, the later one wins, as in
            # the binary search)
            self._known_end_s = min(self.ends[index], self.starts[index + 1]) if index + 1 < len(self.starts) \
                else self.ends[index]
            return index
        return -1

    def shift_index(self, time_s: float) -> int:
        """Index of the shift running at ``time_s``, or -1 when the line is off."""
        if self._known_start_s <= time_s < self._known_end_s:
            return self._known_index
        return self._find_shift(time_s)

    def shift_end_s(self, index: int) -> float:
        return self.ends[index] if 0 <= index < len(self.ends) else math.inf

    def next_start_s(self, time_s: float) -> float:
        """``time_s`` if a shift is running, else the start of the next shift (inf past the margin)."""
        if self._known_start_s <= time_s < self._known_end_s or self._find_shift(time_s) >= 0:
            return time_s
        index = bisect.bisect_right(self.starts, time_s)
        return self.starts[index] if index < len(self.starts) else math.inf

    def scheduled_s_until(self, time_s: float) -> float:
        """Shift time elapsed between 0 and ``time_s``."""
        if self._known_start_s <= time_s < self._known_end_s:
            index = self._known_index
        else:
            index = bisect.bisect_right(self.starts, time_s) - 1
            if index < 0:
                return 0.0
        start_s = self.starts[index]
        return self._cumulative_s[index] + min(time_s - start_s, self.ends[index] - start_s)

    def scheduled_s_between(self, start_s: float, end_s: float) -> float:
        if end_s <= start_s:
            return 0.0
        return self.scheduled_s_until(end_s) - self.scheduled_s_until(start_s)


def _holiday_days(days: int, days_per_week: int, holidays_per_year: int) -> set[int]:
    off: set[int] = set()
    if holidays_per_year <= 0:
        return off
    for year_start in range(0, days, DAYS_PER_YEAR):
        working = [d for d in range(year_start, min(year_start + DAYS_PER_YEAR, days)) if d % 7 < days_per_week]
        count = min(holidays_per_year, len(working))
        full_year_working = sum(1 for d in range(year_start, year_start + DAYS_PER_YEAR) if d % 7 < days_per_week)
        spacing = full_year_working / count if count else math.inf
        for k in range(count):
            position = int((k + 0.5) * spacing)
            if position < len(working):
                off.add(working[position])
    return off


__all__ = ["SECONDS_PER_DAY", "ShiftCalendar"]
