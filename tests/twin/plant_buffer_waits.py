"""Each sheet's wait in each buffer of the plant (twin.des), measured from outside the product's hot path.

For every buffer (the one in front of each station but the first): ``waits``, each sheet's time from the
upstream station finishing it to the downstream station taking it (blocked upstream + in the buffer);
``finish``, finish to finish (the wait plus the downstream station's own time, breakdowns and shift pauses
included): the increment of the sheet's line time that the exposure books (twin.sheet_exposure).

The accounting is first in, first out per buffer: an upstream completion pushes (time, good sheets), a
downstream take (or completion) pops sheets in order. Means are exact whatever the order (a sum over sheets
of one time minus the sum of the other); parallel machines finishing out of order only blur the
percentiles a little. The instances' methods are wrapped: nothing in twin.des changes.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from twin.des.calendar import SECONDS_PER_DAY
from twin.des.plant import build_plant, run_plant
from twin.des.replications import replication_seeds
from twin.des.simulate import default_warmup_days
from twin.des.statistics import replication_kpis


class FifoWaits:
    """Sheets pushed at one time and popped at a later one, first in first out: the waits, with counts."""

    def __init__(self, warmup_s: float):
        self.pending: deque[list] = deque()     # [time pushed, sheets left]
        self.waits: list[float] = []
        self.counts: list[int] = []
        self.warmup_s = warmup_s

    def push(self, now: float, sheets: int) -> None:
        if sheets > 0:
            self.pending.append([now, sheets])

    def pop(self, now: float, sheets: int) -> None:
        while sheets > 0 and self.pending:
            head = self.pending[0]
            taken = min(sheets, head[1])
            if head[0] >= self.warmup_s:   # sheets the upstream station finished after the warm-up
                self.waits.append(now - head[0])
                self.counts.append(taken)
            head[1] -= taken
            sheets -= taken
            if head[1] == 0:
                self.pending.popleft()


def weighted_mean(waits: list[float], counts: list[int]) -> float:
    """Mean of waits each held by ``counts`` sheets (nan when none)."""
    return float(np.average(waits, weights=counts)) if waits else float("nan")


def measure_plant(scenario, days: float, seed: int, replication: int = 0, warmup_days: float | None = None):
    """One replication with the buffers' FIFO accounting; (waits per buffer, finish-to-finish per buffer, kpis)."""
    warmup_days = default_warmup_days(scenario) if warmup_days is None else warmup_days
    horizon_s = (days + warmup_days) * SECONDS_PER_DAY
    warmup_s = warmup_days * SECONDS_PER_DAY
    plant = build_plant(scenario, replication_seeds(seed, replication + 1)[replication], horizon_s, warmup_s)
    waits = [FifoWaits(warmup_s) for _ in plant.buffers]
    finish = [FifoWaits(warmup_s) for _ in plant.buffers]
    env = plant.env
    for index, station in enumerate(plant.stations):
        _wrap_complete(station, env, waits, finish, index)
    for index, buffer in enumerate(plant.buffers):
        _wrap_remove(buffer, env, waits[index])
    run_plant(plant, horizon_s)
    return waits, finish, replication_kpis(plant, horizon_s)


def _wrap_complete(station, env, waits, finish, index):
    complete = station.complete

    def recorded(unit, interruptions=None):
        sheets_in = unit.n
        good = complete(unit, interruptions)
        if index > 0:
            finish[index - 1].pop(env.now, sheets_in)
        if index < len(waits):
            waits[index].push(env.now, good.n)
            finish[index].push(env.now, good.n)
        return good

    station.complete = recorded


def _wrap_remove(buffer, env, fifo):
    remove = buffer._remove

    def recorded(want):
        taken = remove(want)
        fifo.pop(env.now, taken.n)
        return taken

    buffer._remove = recorded


__all__ = ["FifoWaits", "measure_plant", "weighted_mean"]
