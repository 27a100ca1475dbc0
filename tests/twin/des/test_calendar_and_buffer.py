"""Shift calendar and sheet buffer: hand-computed hours and buffer invariants."""

import bisect

import numpy as np
import pytest
import simpy

from twin.des.buffer import SheetBuffer, TransferUnit
from twin.des.calendar import SECONDS_PER_DAY, ShiftCalendar

pytestmark = pytest.mark.unit


def test_two_shifts_five_days_give_80_hours_per_week():
    calendar = ShiftCalendar(2, 8.0, 5, 0, horizon_s=14 * SECONDS_PER_DAY)
    assert calendar.scheduled_s_between(0.0, 7 * SECONDS_PER_DAY) == pytest.approx(80 * 3600.0)
    # Saturday noon is off; the next shift starts Monday 00:00 of week 2
    saturday_noon = 5.5 * SECONDS_PER_DAY
    assert calendar.shift_index(saturday_noon) == -1
    assert calendar.next_start_s(saturday_noon) == 7 * SECONDS_PER_DAY
    # Monday 10:00 is in the second shift (08:00-16:00), which ends at 16:00
    index = calendar.shift_index(10 * 3600.0)
    assert calendar.shift_end_s(index) == 16 * 3600.0


def test_holidays_per_year_are_taken_within_the_year():
    calendar = ShiftCalendar(3, 8.0, 7, 25, horizon_s=365 * SECONDS_PER_DAY)
    hours = calendar.scheduled_s_between(0.0, 365 * SECONDS_PER_DAY) / 3600.0
    assert hours == pytest.approx((365 - 25) * 24.0)


def test_remembered_shift_answers_like_a_fresh_binary_search():
    # the calendar answers from the last shift it found; any order of questions gives the answers of a
    # plain search of its shift list
    calendar = ShiftCalendar(3, 7.3, 5, 10, horizon_s=60 * SECONDS_PER_DAY)
    starts, ends = calendar.starts, calendar.ends
    cumulative = [0.0]
    for start, end in zip(starts, ends, strict=True):
        cumulative.append(cumulative[-1] + end - start)
    times = np.random.default_rng(0).uniform(-3600.0, 60 * SECONDS_PER_DAY, 2000)
    times = np.concatenate([np.sort(times), times, starts[:50], ends[:50]])
    for time_s in times:
        window = bisect.bisect_right(starts, time_s) - 1
        running = window >= 0 and time_s < ends[window]
        assert calendar.shift_index(time_s) == (window if running else -1)
        assert calendar.next_start_s(time_s) == (time_s if running else starts[window + 1])
        start = starts[max(window, 0)]
        elapsed = 0.0 if window < 0 else cumulative[window] + min(time_s - start, ends[window] - start)
        assert calendar.scheduled_s_until(time_s) == elapsed


def _unit(n: int, time_s: float = 0.0) -> TransferUnit:
    return TransferUnit(None, np.full(n, time_s))


def test_buffer_splits_and_merges_first_in_first_out_within_capacity():
    env = simpy.Environment()
    buffer = SheetBuffer(env, "b", capacity_sheets=10)
    assert buffer.offer(_unit(4, 1.0))
    assert buffer.offer(_unit(4, 2.0))
    assert not buffer.offer(_unit(4, 3.0))          # 12 > 10: the upstream station would block
    taken = buffer.take_now(want=6, at_least=6)
    assert taken.n == 6
    assert list(taken.entry_time_s) == [1.0] * 4 + [2.0] * 2
    assert buffer.level == 2
    assert buffer.take_now(want=5, at_least=5) is None  # starved until 5 are waiting
    blocked = buffer.put(_unit(9, 4.0))
    assert not blocked.triggered                    # 2 + 9 > 10
    request = buffer.take(want=5, at_least=1)
    assert request.triggered and request.value.n == 2
    assert blocked.triggered and buffer.level == 9
    assert 0 <= buffer.level <= buffer.capacity_sheets and buffer.max_level <= buffer.capacity_sheets
