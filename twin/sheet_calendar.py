"""The plant's shift calendar as the evaluation's per-sheet clock reads it: scheduled (shift) time to calendar
time and back (twin.sheet_exposure stretches each sheet's scheduled wait by the nights, weekends and holidays
inside it). The calendar is the plant's own (twin.des.calendar.ShiftCalendar).
"""

from __future__ import annotations

import functools

import numpy as np

from twin.scenario import Scenario


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


def scheduled_time_s(scenario: Scenario, calendar_s: np.ndarray) -> np.ndarray:
    """Shift time run by the calendar instant ``calendar_s`` [s] (twin.des.calendar.ShiftCalendar.scheduled_s_until):
    the inverse of :func:`calendar_time_s` inside a shift, the stop's scheduled start inside a stop."""
    starts, before, _ = _calendar(scenario)
    instants = np.asarray(calendar_s, dtype=float)
    span = np.clip(np.searchsorted(starts, instants, side="right") - 1, 0, starts.size - 1)
    length = np.append(np.diff(before), np.inf)[span]
    return before[span] + np.clip(instants - starts[span], 0.0, length)


__all__ = ["calendar_time_s", "scheduled_time_s"]
