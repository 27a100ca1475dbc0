"""Transfer units and the finite buffers that hold them between stations.

A :class:`TransferUnit` is a roll, a kiln load or a lot: the per-sheet physical state
(:class:`twin.sheet_physics.SheetBatch`, absent in synthetic queueing models) plus the time each sheet
entered the line, for lead times. A :class:`SheetBuffer` counts sheets, not units: a station upstream
blocks while the unit it wants to put does not fit, a station downstream starves until enough sheets
are waiting, and units are split and merged so each station gets its own unit size.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import simpy


class TransferUnit:
    """Sheets moving together, with the time each entered the line; ``n`` is their number."""

    # a plain class with slots: units are made on every buffer operation, a dataclass costs more
    __slots__ = ("sheets", "entry_time_s", "n")

    def __init__(self, sheets: object | None, entry_time_s: np.ndarray):
        self.sheets = sheets                # twin.sheet_physics.SheetBatch, or None in synthetic models
        self.entry_time_s = entry_time_s    # time each sheet entered the line [s]
        self.n = int(entry_time_s.size)     # read on every buffer operation: cache it

    def __repr__(self) -> str:
        return f"TransferUnit(n={self.n}, sheets={self.sheets!r})"

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

    # the unit owns its state: nothing to hand back when sheets leave
    def release(self) -> None:
        pass

    def drop_scrapped(self) -> TransferUnit:
        """The alive sheets (a copy of their state)."""
        return self.select(self.sheets.alive)

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
        if self._takers:  # no putter is waiting (checked above): only a taker may now go on
            self._settle()
        return True

    def take_now(self, want: int, at_least: int) -> TransferUnit | None:
        if self._takers or self.level < at_least or self.level == 0:
            return None
        unit = self._remove(want)
        if self._putters:  # no taker is waiting (checked above): only a putter may now go on
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
        since = self._level_since_s
        if since < self.warmup_s:
            since = self.warmup_s
        if now > since:
            self.level_integral_sheet_s += self.level * (now - since)
        self._level_since_s = now

    def _admit(self, unit: TransferUnit) -> None:
        self._integrate()
        self._units.append(unit)
        self.level += unit.n
        if self.level > self.max_level:
            self.max_level = self.level

    def _remove(self, want: int) -> TransferUnit:
        self._integrate()
        units = self._units
        needed = min(want, self.level)
        first = units[0]
        if first.n == needed:  # the usual cases first: a whole unit, or the head of one
            taken = units.popleft()
        elif first.n > needed:
            taken, units[0] = first.split(needed)
        else:
            pieces: list[TransferUnit] = []
            while needed > 0:
                unit = units[0]
                if unit.n <= needed:
                    pieces.append(units.popleft())
                    needed -= unit.n
                else:
                    head, units[0] = unit.split(needed)
                    pieces.append(head)
                    needed = 0
            taken = type(first).join(pieces)  # a TransferUnit or a store's unit (twin.des.sheet_store)
        self.level -= taken.n
        return taken

    def _settle(self) -> None:
        """Serve waiting takers and putters, first come first served, until none can go on."""
        takers = self._takers
        putters = self._putters
        while True:
            while takers and self.level >= takers[0][2]:
                event, want, _ = takers.popleft()
                event.succeed(self._remove(want))
            if not putters or self.level + putters[0][1].n > self.capacity_sheets:
                return
            while putters and self.level + putters[0][1].n <= self.capacity_sheets:
                event, unit = putters.popleft()
                self._admit(unit)
                event.succeed()


__all__ = ["SheetBuffer", "TransferUnit"]
