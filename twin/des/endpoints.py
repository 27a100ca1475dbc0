"""Where sheets enter and leave the line, and the ledger that keeps the line's sheet balance.

* :class:`RawMaterialSupply` feeds the first station: raw material is never short (the line, not the
  warehouse, is modelled), so the first station is never starved.
* :class:`PoissonArrivals` feeds a buffer with single sheets at exponential intervals, for queueing checks.
* :class:`FinishedGoods` takes good sheets off the last station and measures throughput, lead time and
  the quality of what was made.
* :class:`LineLedger` counts sheets started, finished good and scrapped, and integrates the work in
  process, so that started = good + scrapped + WIP can be checked against the sheets actually found in
  buffers and machines.
"""

from __future__ import annotations

import numpy as np
import simpy

from process_models import trusted_inputs
from twin.cell_output import FinishedOutput, finished_output
from twin.des.buffer import TransferUnit
from twin.des.calendar import SECONDS_PER_DAY
from twin.des.finished_tally import TALLY_FIELDS, finished_outputs
from twin.des.sheet_store import SheetStore, StoredUnit
from twin.sheet_batch import SHEET_STATE_FIELDS

# Systematic sample of at most this many finished sheets for percentiles (quality, lead time): a
# year of a gigafactory makes ~1e8 sheets; 2^17 samples put the p5/p95 within ~0.1 percentile points.
SAMPLE_CAPACITY = 2**17
# Sheets finished goods hold before counting them (measured: ~20 of the gigafactory's ~830-sheet
# end-of-line lots make the tally's ~30 numpy calls once for many lots; at 32,768 its 12 rows (3 MB) no
# longer stay in cache and a lot cost as much as counted alone. The held sheets, a quarter of a
# 65,536-sheet store page, keep at most one more page in memory)
FINISHED_BATCH_SHEETS = 16384
_TALLY_ROWS = tuple(SHEET_STATE_FIELDS.index(name) for name in TALLY_FIELDS)


class LineLedger:
    """Sheet balance of the whole line, totals since t = 0 and measured (after warm-up)."""

    def __init__(self, env: simpy.Environment, warmup_s: float):
        self.env = env
        self.warmup_s = warmup_s
        self.started_total = 0
        self.good_total = 0
        self.scrapped_total = 0
        self.started = 0
        self.good = 0
        self.scrapped = 0
        self._wip_since_s = 0.0
        self.wip_integral_sheet_s = 0.0

    @property
    def wip_sheets(self) -> int:
        return self.started_total - self.good_total - self.scrapped_total

    def _integrate(self, now: float) -> None:
        start = max(self._wip_since_s, self.warmup_s)
        if now > start:
            self.wip_integral_sheet_s += self.wip_sheets * (now - start)
        self._wip_since_s = now

    def record_started(self, count: int, now: float) -> None:
        self._integrate(now)
        self.started_total += count
        if now >= self.warmup_s:
            self.started += count

    def record_finished(self, count: int, now: float) -> None:
        self._integrate(now)
        self.good_total += count
        if now >= self.warmup_s:
            self.good += count

    def record_scrapped(self, count: int, now: float) -> None:
        self._integrate(now)
        self.scrapped_total += count
        if now >= self.warmup_s:
            self.scrapped += count

    def mean_wip_sheets(self, end_s: float) -> float:
        self._integrate(end_s)
        return self.wip_integral_sheet_s / max(end_s - self.warmup_s, 1e-12)


class SystematicSample:
    """Every k-th value of a stream, k doubling whenever the sample fills: bounded memory, no RNG.

    The stream's items run along the last axis: a matrix (quantities x items) keeps the same items of
    every quantity, as separate samples of each would (they would all see the same counts). With
    ``rows``, only those rows of each added matrix are kept.
    """

    def __init__(self, capacity: int = SAMPLE_CAPACITY, rows: list[int] | None = None):
        self.capacity = capacity
        self.rows = None if rows is None else np.asarray(rows, dtype=np.intp)
        self.stride = 1
        self._offset = 0
        # the picks so far, in their first ``_size`` items: one array written in place, so an add is one
        # copy of the picked items and thinning a full sample is one pass over half of it (a list of
        # chunks concatenated at each thinning copied the whole sample, 46 MB of state, twice)
        self._picks: np.ndarray | None = None
        self._size = 0

    def add(self, values: np.ndarray) -> None:
        picked = values[..., self._offset::self.stride]
        # keep the global position of the next pick across calls
        self._offset = (self._offset - values.shape[-1]) % self.stride
        picked_count = picked.shape[-1]
        if picked_count:
            # pick the items before the rows: a fancy index copies, so copy the fewest values
            if self.rows is not None:
                picked = picked[self.rows]
            end = self._size + picked_count
            if self._picks is None or end > self._picks.shape[-1]:
                self._grow(picked, end)
            self._picks[..., self._size:end] = picked
            self._size = end
        if self._size > self.capacity:
            # every second pick, from the first: numpy copies overlapping source and destination safely
            kept = (self._size + 1) // 2
            # row by row: numpy copies an overlapping source first, and the whole (45 x 131,072) sample's
            # copy was a fresh 24 MB, page-faulted in at every thinning (~60 ms, ~0.5 s a simulated
            # year); a row's copy (0.5 MB) stays in the allocator and the cache (~5x faster)
            for row in self._picks.reshape(-1, self._picks.shape[-1]):
                row[:kept] = row[0:self._size:2]
            # the next pick of the old stride is pick number _size; keep it only if even
            if self._size % 2:
                self._offset += self.stride
            self._size = kept
            self.stride *= 2

    def _grow(self, picked: np.ndarray, needed: int) -> None:
        # room for a full sample and the unit that overfills it (np.empty: untouched pages cost no memory).
        # Twice the capacity at once: a sample holds at most capacity + one unit's picks, and sizing by the
        # first unit made a later, larger unit grow it again, copying the full (47 x 131,072) state sample
        # into fresh pages (~0.1 s each, twice in a gigafactory year); the pages past the picks stay untouched
        items = max(needed, 2 * self.capacity, 2 * (0 if self._picks is None else self._picks.shape[-1]))
        grown = np.empty(picked.shape[:-1] + (items,), dtype=picked.dtype)
        if self._picks is not None:
            grown[..., :self._size] = self._picks[..., :self._size]
        self._picks = grown

    def values(self) -> np.ndarray:
        return self._picks[..., :self._size].copy() if self._size else np.zeros(0)


class RawMaterialSupply:
    """An inexhaustible inbound for the first station: new sheets whenever it asks."""

    def __init__(self, env: simpy.Environment, ledger: LineLedger, with_sheet_state: bool):
        self.env = env
        self.ledger = ledger
        self.with_sheet_state = with_sheet_state
        # the per-sheet state of the whole run lives in one store; units carry ranges of it
        self.store = SheetStore() if with_sheet_state else None

    def take_now(self, want: int, at_least: int) -> TransferUnit | StoredUnit:
        now = self.env.now
        self.ledger.record_started(want, now)
        if self.store is not None:
            return self.store.new_unit(want, now)
        return TransferUnit(None, np.full(want, now))

    def take(self, want: int, at_least: int):  # pragma: no cover - take_now always succeeds
        raise RuntimeError("the raw material supply never makes a station wait")


class PoissonArrivals:
    """Single sheets arriving at exponential intervals (rate ``per_s``) into ``buffer``."""

    def __init__(self, env: simpy.Environment, buffer, ledger: LineLedger, per_s: float, rng):
        self.env = env
        self.buffer = buffer
        self.ledger = ledger
        self.per_s = per_s
        self.rng = rng
        self.process = env.process(self._run())

    def _run(self):
        while True:
            yield self.env.timeout(float(self.rng.exponential(1.0 / self.per_s)))
            now = self.env.now
            self.ledger.record_started(1, now)
            unit = TransferUnit(None, np.full(1, now))
            if not self.buffer.offer(unit):
                yield self.buffer.put(unit)


class FinishedGoods:
    """Outbound of the last station: sheets that left the line alive leave the plant here.

    With per-sheet state, each unit is counted by :func:`twin.cell_output.finished_output` (the one
    definition of good and escaped pieces and delivered energy shared with ``evaluate``); without it
    (a flow-only plant), every piece is counted good.

    Nothing in the line depends on what finished goods count until the end-of-run figures, so the
    counting of units with state is deferred: units are held (their store pages with them) until
    ``FINISHED_BATCH_SHEETS`` sheets wait, then their per-sheet tally (good pieces, delivered energy)
    is one pass over all of them (:func:`twin.des.finished_tally.finished_outputs`) and every unit is counted
    in the order it arrived, as when it was offered (the same figures and sums, in the same order).
    Reading any total counts what is still held first.
    """

    def __init__(self, env: simpy.Environment, ledger: LineLedger, warmup_s: float,
                 sample_state: bool = False, cells_per_sheet: int = 1, scenario=None):
        self.env = env
        self.ledger = ledger
        self.warmup_s = warmup_s
        self.cells_per_sheet = cells_per_sheet
        self.scenario = scenario
        self.good_by_day: dict[int, int] = {}
        # good cell pieces (a multi-cell sheet may have lost pieces to defects): after warm-up, and by day
        self._good_pieces = 0.0
        self._good_pieces_by_day: dict[int, float] = {}
        self._output = FinishedOutput()         # after warm-up: good/escaped pieces, delivered energy
        self._lead_time_sum_s = 0.0
        self._lead_time_sample = SystematicSample()
        self.sample_state = sample_state
        if sample_state:
            # one sample of whole state columns: the same sheets for every quality figure and the cell block
            self._state_sample = SystematicSample()
        # units with state offered and not yet counted: (unit, day, time offered)
        self._held: list[tuple[StoredUnit | TransferUnit, int, float]] = []
        self._held_sheets = 0

    @property
    def held_sheets(self) -> int:
        """Sheets offered and not yet counted (their rows still in the sheet store)."""
        return self._held_sheets

    # -- totals: reading one counts the held units first --
    @property
    def good_pieces(self) -> float:
        self.count_held()
        return self._good_pieces

    @property
    def good_pieces_by_day(self) -> dict[int, float]:
        self.count_held()
        return self._good_pieces_by_day

    @property
    def output(self) -> FinishedOutput:
        self.count_held()
        return self._output

    @property
    def lead_time_sum_s(self) -> float:
        self.count_held()
        return self._lead_time_sum_s

    @property
    def lead_time_sample(self) -> SystematicSample:
        self.count_held()
        return self._lead_time_sample

    def state_sample(self) -> np.ndarray:
        """Sampled (fields x sheets) state of the finished sheets (empty when not sampled)."""
        if not self.sample_state:
            return np.zeros((len(SHEET_STATE_FIELDS), 0))
        self.count_held()
        sampled = self._state_sample.values()
        return sampled if sampled.size else np.zeros((len(SHEET_STATE_FIELDS), 0))

    def offer(self, unit: TransferUnit) -> bool:
        now = self.env.now
        count = unit.n
        self.ledger.record_finished(count, now)
        day = int(now // SECONDS_PER_DAY)
        self.good_by_day[day] = self.good_by_day.get(day, 0) + count
        if count and (type(unit) is StoredUnit or unit.sheets is not None):
            self._held.append((unit, day, now))
            self._held_sheets += count
            if self._held_sheets >= FINISHED_BATCH_SHEETS:
                self.count_held()
            return True
        self.count_held()  # keep the order of the sums by day
        self._count(unit, day, now, None)
        return True

    def count_held(self) -> None:
        """Count the held units, in the order they were offered."""
        if not self._held:
            return
        held, self._held = self._held, []
        self._held_sheets = 0
        # the units whose sheets are all alive (the plant's stations drop their scrap, so every unit; one
        # holding a scrapped sheet is counted alone): their tally rows joined, row by row
        batched, parts, starts, offset = [], [], [], 0
        for index, (unit, _, _) in enumerate(held):
            batch = unit.sheets
            if np.logical_and.reduce(batch.alive):
                batched.append(index)
                parts.append(batch.values)
                starts.append(offset)
                offset += unit.n
        outputs: list = [None] * len(held)
        if batched:
            rows = {row: np.concatenate([values[row] for values in parts]) for row in _TALLY_ROWS}
            # the physics wrote this state within its ranges (the plant runs it as trusted_inputs too):
            # the delivery law's range checks would only re-read ~20,000 lots a year
            with trusted_inputs():
                counted = finished_outputs(self.scenario, rows, np.array(starts, dtype=np.intp))
            for index, output in zip(batched, counted or (), strict=False):
                outputs[index] = output
        for (unit, day, now), output in zip(held, outputs, strict=True):
            self._count(unit, day, now, output)

    def _count(self, unit, day: int, now: float, output: FinishedOutput | None) -> None:
        """One unit's good pieces, output, lead times and samples, as offered at ``now`` (``output``: its
        finished_output if already counted)."""
        count = unit.n
        sheets = unit.sheets
        if sheets is not None and count:
            if output is None:
                with trusted_inputs():
                    output = finished_output(self.scenario, sheets.values, sheets.alive)
            pieces = output.good_pieces
        else:
            output = None
            pieces = float(count * self.cells_per_sheet)
        self._good_pieces_by_day[day] = self._good_pieces_by_day.get(day, 0.0) + pieces
        if now >= self.warmup_s:
            self._good_pieces += pieces
            if output is not None:
                self._output = self._output + output
            if count:
                lead_times = now - unit.entry_time_s
                self._lead_time_sum_s += float(lead_times.sum())
                self._lead_time_sample.add(lead_times)
                if sheets is not None and self.sample_state:
                    self._state_sample.add(sheets.values)
        unit.release()  # counted and sampled (copies): the sheets' rows in the store may be reused

    def put(self, unit: TransferUnit):  # pragma: no cover - offer always succeeds
        raise RuntimeError("finished goods never block the line")


__all__ = ["FinishedGoods", "LineLedger", "PoissonArrivals", "RawMaterialSupply", "SystematicSample"]
