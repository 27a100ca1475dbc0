"""Transfer units and the finite buffers that hold them between stations.

A :class:`TransferUnit` is a roll, a kiln load or a lot: the per-sheet physical state
(:class:`twin.sheet_physics.SheetBatch`, absent in synthetic queueing models) plus the time each sheet
entered the line, for lead times. A :class:`SheetBuffer` counts sheets, not units: a station upstream
blocks while the unit it wants to put does not fit, a station downstream starves until enough sheets
are waiting, and units are split and merged so each station gets its own unit size.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
import simpy


@dataclass
class TransferUnit:
    sheets: object | None          # twin.sheet_physics.SheetBatch, or None in synthetic models
    entry_time_s: np.ndarray       # time each sheet entered the line [s]

    def __post_init__(self) -> None:
        self.n = int(self.entry_time_s.size)  # read on every buffer operation: cache it

    def split(self, head_sheets: int) -> tuple[TransferUnit, TransferUnit]:
        """The first ``head_sheets`` sheets and the rest (order kept: first in, first out)."""
        head = slice(0, head_sheets)
        tail = slice(head_sheets, None)
        if self.sheets is None:
            return TransferUnit(None, self.entry_time_s[head]), TransferUnit(None, self.entry_time_s[tail])
        return (TransferUnit(self.sheets.subset(head), self.entry_time_s[head]),
                TransferUnit(self.sheets.subset(tail), self.entry_time_s[tail]))

    def select(self, mask: np.ndarray) -> TransferUnit:
        return TransferUnit(None if self.sheets is None else self.sheets.subset(mask), self.entry_time_s[mask])

    @staticmethod
    def join(units: list[TransferUnit]) -> TransferUnit:
        if len(units) == 1:
            return units[0]
        times = np.concatenate([unit.entry_time_s for unit in units])
        if units[0].sheets is None:
            return TransferUnit(None, times)
        return TransferUnit(type(units[0].sheets).concatenate([unit.sheets for unit in units]), times)


class SheetBuffer:
    """A first-in first-out buffer of sheets with a finite capacity (blocking when full).

    ``put`` is admitted when the unit fits (``level + n <= capacity``); ``take(want, at_least)``
    waits until ``at_least`` sheets are waiting and returns up to ``want`` of them. The builder sizes
    the capacity to at least one upstream unit plus one downstream unit, so the line cannot deadlock.
    The level is integrated over time (after ``warmup_s``) for the mean buffer content.
    """

    def __init__(self, env: simpy.Environment, name: str, capacity_sheets: int, warmup_s: float = 0.0):
        self.env = env
        self.name = name
        self.capacity_sheets = int(capacity_sheets)
        self.level = 0
        self.max_level = 0
        self.warmup_s = warmup_s
        self._units: deque[TransferUnit] = deque()
        self._putters: deque[tuple[simpy.Event, TransferUnit]] = deque()
        self._takers: deque[tuple[simpy.Event, int, int]] = deque()
        self._level_since_s = 0.0
        self.level_integral_sheet_s = 0.0

    # -- immediate operations (no SimPy event when they succeed: most transfers cost nothing) --
    def offer(self, unit: TransferUnit) -> bool:
        if self._putters or self.level + unit.n > self.capacity_sheets:
            return False
        self._admit(unit)
        self._settle()
        return True

    def take_now(self, want: int, at_least: int) -> TransferUnit | None:
        if self._takers or self.level < at_least or self.level == 0:
            return None
        unit = self._remove(want)
        self._settle()
        return unit

    # -- waiting operations --
    def put(self, unit: TransferUnit) -> simpy.Event:
        event = self.env.event()
        self._putters.append((event, unit))
        self._settle()
        return event

    def take(self, want: int, at_least: int) -> simpy.Event:
        event = self.env.event()
        self._takers.append((event, want, max(1, at_least)))
        self._settle()
        return event

    def cancel_take(self, event: simpy.Event) -> None:
        self._takers = deque(entry for entry in self._takers if entry[0] is not event)
        self._settle()

    def mean_level_sheets(self, end_s: float) -> float:
        self._integrate()
        return self.level_integral_sheet_s / max(end_s - self.warmup_s, 1e-12)

    # -- internals --
    def _integrate(self) -> None:
        now = self.env.now
        start = max(self._level_since_s, self.warmup_s)
        if now > start:
            self.level_integral_sheet_s += self.level * (now - start)
        self._level_since_s = now

    def _admit(self, unit: TransferUnit) -> None:
        self._integrate()
        self._units.append(unit)
        self.level += unit.n
        self.max_level = max(self.max_level, self.level)

    def _remove(self, want: int) -> TransferUnit:
        self._integrate()
        pieces: list[TransferUnit] = []
        needed = min(want, self.level)
        while needed > 0:
            unit = self._units[0]
            if unit.n <= needed:
                pieces.append(self._units.popleft())
                needed -= unit.n
            else:
                head, tail = unit.split(needed)
                self._units[0] = tail
                pieces.append(head)
                needed = 0
        taken = TransferUnit.join(pieces)
        self.level -= taken.n
        return taken

    def _settle(self) -> None:
        changed = True
        while changed:
            changed = False
            while self._takers and self.level >= self._takers[0][2]:
                event, want, _ = self._takers.popleft()
                event.succeed(self._remove(want))
                changed = True
            while self._putters and self.level + self._putters[0][1].n <= self.capacity_sheets:
                event, unit = self._putters.popleft()
                self._admit(unit)
                event.succeed()
                changed = True


__all__ = ["SheetBuffer", "TransferUnit"]
