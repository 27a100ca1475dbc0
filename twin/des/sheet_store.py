"""One store of per-sheet state for a plant run, and transfer units that carry id ranges into it.

Sheets are given slots in the store in the order they enter the line (a slot number is the sheet's id
within its page), so a roll, a kiln load or a lot is one or two contiguous ranges of slots. A
:class:`StoredUnit` holds those ranges, not the state: splitting it for a smaller downstream unit,
joining the tail of one unit with the next, or holding it in a buffer copies no state at all. The
physics reads and writes the store in place through :attr:`StoredUnit.sheets`, a
:class:`twin.sheet_batch.SheetBatch` of views of one range. A unit of several ranges (after a join across
pages or of out-of-order units, or after sheets were scrapped out of its middle) is moved, the first time
its state is asked for, into fresh consecutive slots of the store (:meth:`SheetStore.relocate`): one copy,
after which it is one range for the physics and for every station downstream that gets it whole. (It was
gathered into a copy for each station's physics and written back after it: two copies at every station
the unit passed, ~1.6e7 sheets a gigafactory year.)

The store is paged so that a year of sheets (~1.4e7 in the gigafactory) never lives in memory at once: a page holds
``PAGE_SHEETS`` sheets' state; it counts the sheets on it that are still in the line, and goes back to
a short free list (reused without new page faults) when the last of them has left the plant, shipped
or scrapped, after the finished-goods statistics have read it.
"""

from __future__ import annotations

import numpy as np

from twin.sheet_batch import SHEET_STATE_FIELDS, SheetBatch

# Sheets a page holds (assumption: ~24 MB a page with the 44 state rows; a gigafactory kiln load
# (2,000-3,000 sheets) or roll is ~4 % of it, so few units straddle two pages (a unit that does is
# moved into one range for its physics), and the line's work in progress (~2e5 sheets) spans a handful
# of pages).
PAGE_SHEETS = 65536
# Slots of a page that units moved into one range are given, as a share of PAGE_SHEETS (assumption, from
# 120 simulated gigafactory days: ~0.45 sheets are moved for every new sheet, late in the line, so their
# pages empty sooner; on whole pages the moves kept 9 pages in use and a 391 MB peak, on quarter pages 12
# smaller ones and 342 MB, against 6 pages and 319 MB before the moves).
MOVED_PAGE_SHARE = 0.25
# Emptied pages kept for reuse (assumption: enough to cover the pages freed and taken again within a
# few units' time; more would only hold memory).
FREE_PAGES_KEPT = 4

# Unused slots at the end of each state row of a page (assumption: 8 doubles, one cache line, shift
# consecutive rows off a power-of-two distance).
ROW_PADDING = 8

_DEAD_PIECES_ROW = SHEET_STATE_FIELDS.index("dead_cell_pieces")
_LATENT_PIECES_ROW = SHEET_STATE_FIELDS.index("latent_defect_pieces")


class _Page:
    """State of ``size`` consecutive sheets, and how many of them are still in the line."""

    __slots__ = ("values", "alive", "scrap_step", "scrap_cause", "entry_time_s", "filled", "in_line")

    def __init__(self, size: int):
        # rows a little longer than the page: rows a power of two of bytes apart would make the
        # elementwise work between rows alias in the CPU's caches (4K aliasing, set conflicts)
        self.values = np.empty((len(SHEET_STATE_FIELDS), size + ROW_PADDING))[:, :size]
        self.alive = np.empty(size, dtype=bool)
        self.scrap_step = np.empty(size, dtype=np.int16)
        self.scrap_cause = np.empty(size, dtype=np.int8)
        self.entry_time_s = np.empty(size)
        self.filled = 0     # slots given to sheets so far
        self.in_line = 0    # of those, sheets not yet shipped or scrapped

    @property
    def size(self) -> int:
        return self.alive.size

    def start_sheets(self, start: int, stop: int, now_s: float) -> None:
        """Slots ``start:stop`` as SheetBatch.new makes sheets (nothing measured: NaN, no piece lost,
        alive), entering the line at ``now_s``. Written when the unit is made, not when the page is, so
        the slots are still in cache when the first station's physics works on them."""
        values = self.values
        values[:, start:stop] = np.nan
        values[_DEAD_PIECES_ROW, start:stop] = 0.0
        values[_LATENT_PIECES_ROW, start:stop] = 0.0
        self.alive[start:stop] = True
        self.scrap_step[start:stop] = -1
        self.scrap_cause[start:stop] = -1
        self.entry_time_s[start:stop] = now_s


class SheetStore:
    """The per-sheet state of every sheet in the line, in pages of consecutive sheet ids.

    New sheets fill one page at a time; units moved into one range (:meth:`relocate`) fill smaller pages
    of their own (``MOVED_PAGE_SHARE`` of a page), so that the pages of sheets near the end of the line
    are emptied, and reused, together instead of each page waiting for the newest sheets of the line.
    """

    def __init__(self, page_sheets: int = PAGE_SHEETS):
        self.page_sheets = int(page_sheets)
        self.moved_page_sheets = max(1, int(page_sheets * MOVED_PAGE_SHARE))
        self._current: _Page | None = None      # the page new sheets are given slots on
        self._moved_into: _Page | None = None   # the page relocated units are given slots on
        # emptied pages kept for reuse, by size (new sheets' pages, moved units' pages)
        self._free: dict[int, list[_Page]] = {self.page_sheets: [], self.moved_page_sheets: []}
        self.pages_made = 0     # pages allocated over the run (reused ones not counted)
        self.slots_made = 0     # their sheet slots
        self.pages_in_use = 0
        self.max_pages_in_use = 0
        self.sheets_in_line = 0  # sheets given slots and not yet shipped or scrapped
        self.sheets_moved = 0    # sheets relocated over the run (a sheet moved twice counts twice)

    def new_unit(self, sheets: int, now_s: float) -> StoredUnit:
        """``sheets`` new sheets entering the line at ``now_s``, in consecutive slots of one page."""
        page, start, stop = self._claim(self._current, sheets, self.page_sheets)
        self._current = page
        page.start_sheets(start, stop, now_s)
        return StoredUnit(self, ((page, start, stop),), sheets)

    def relocate(self, ranges: tuple, sheets: int) -> tuple:
        """Move the state of ``ranges`` (``sheets`` sheets, in that order) into consecutive slots of one
        page; their old slots leave the line. Returns the new range as a one-range tuple."""
        page, start, stop = self._claim(self._moved_into, sheets, self.moved_page_sheets)
        self._moved_into = page
        self.sheets_moved += sheets
        values, alive, scrap_step = page.values, page.alive, page.scrap_step
        scrap_cause, entry_time_s = page.scrap_cause, page.entry_time_s
        at = start
        for old, first, last in ranges:
            end = at + last - first
            values[:, at:end] = old.values[:, first:last]
            alive[at:end] = old.alive[first:last]
            scrap_step[at:end] = old.scrap_step[first:last]
            scrap_cause[at:end] = old.scrap_cause[first:last]
            entry_time_s[at:end] = old.entry_time_s[first:last]
            at = end
        # after the copy: a page whose last sheets these were may be handed out again
        for old, first, last in ranges:
            self.release(old, last - first)
        return ((page, start, stop),)

    def _claim(self, page: _Page | None, sheets: int, size: int) -> tuple[_Page, int, int]:
        """Consecutive slots for ``sheets`` sheets entering the line: on ``page`` while it has room, else on a
        page of ``size`` slots opened in its place. Returns (page, start, stop)."""
        if page is None or page.filled + sheets > page.size:
            page = self._open_page(sheets, page, size)
        start = page.filled
        stop = page.filled = start + sheets
        page.in_line += sheets
        self.sheets_in_line += sheets
        return page, start, stop

    def _open_page(self, sheets: int, full: _Page | None, size: int) -> _Page:
        """A page of ``size`` slots (more if ``sheets`` need it) in place of the ``full`` one being filled."""
        if full is not None and full.in_line == 0:
            self._recycle(full)  # every sheet on it left while it was still being filled
        free = self._free[size]
        if sheets <= size and free:
            page = free.pop()
            page.filled = 0
        else:
            page = _Page(max(size, sheets))
            self.pages_made += 1
            self.slots_made += page.size
        self.pages_in_use += 1
        self.max_pages_in_use = max(self.max_pages_in_use, self.pages_in_use)
        return page

    def _recycle(self, page: _Page) -> None:
        self.pages_in_use -= 1
        free = self._free.get(page.size)
        if free is not None and len(free) < FREE_PAGES_KEPT:
            free.append(page)

    def release(self, page: _Page, sheets: int) -> None:
        """``sheets`` sheets of ``page`` left the line (shipped or scrapped)."""
        page.in_line -= sheets
        self.sheets_in_line -= sheets
        if page.in_line == 0 and page is not self._current and page is not self._moved_into:
            self._recycle(page)


def _merged(ranges) -> tuple:
    """Ranges with neighbours that continue each other on the same page joined into one."""
    out = [ranges[0]]
    for page, start, stop in ranges[1:]:
        last_page, last_start, last_stop = out[-1]
        if page is last_page and start == last_stop:
            out[-1] = (page, last_start, stop)
        else:
            out.append((page, start, stop))
    return tuple(out)


class StoredUnit:
    """A transfer unit whose sheets are ranges ``(page, start, stop)`` of a :class:`SheetStore`.

    Same interface as :class:`twin.des.buffer.TransferUnit` (``n``, ``sheets``, ``entry_time_s``,
    ``split``, ``select``, ``join``), first in first out: the ranges are in the order the sheets
    entered the unit.
    """

    __slots__ = ("store", "ranges", "n", "_batch")

    def __init__(self, store: SheetStore, ranges: tuple, n: int):
        self.store = store
        self.ranges = ranges
        self.n = n
        self._batch: SheetBatch | None = None

    def __repr__(self) -> str:
        return f"StoredUnit(n={self.n}, ranges={[(start, stop) for _, start, stop in self.ranges]})"

    # -- the state, for the physics and the statistics --
    @property
    def sheets(self) -> SheetBatch:
        """The unit's sheets as a SheetBatch of views of the store (writes go to the store). A unit of
        several ranges is first moved into one (:meth:`SheetStore.relocate`)."""
        if self._batch is None:
            if len(self.ranges) > 1:
                self.ranges = self.store.relocate(self.ranges, self.n)
            page, start, stop = self.ranges[0]
            self._batch = SheetBatch(page.values[:, start:stop], page.alive[start:stop],
                                     page.scrap_step[start:stop], page.scrap_cause[start:stop])
        return self._batch

    @property
    def entry_time_s(self) -> np.ndarray:
        """The time each sheet entered the line [s] (a view when the unit is one range)."""
        if len(self.ranges) == 1:
            page, start, stop = self.ranges[0]
            return page.entry_time_s[start:stop]
        return np.concatenate([page.entry_time_s[start:stop] for page, start, stop in self.ranges])

    def release(self) -> None:
        """Every sheet of the unit left the line: its pages may be reused once all theirs have."""
        for page, start, stop in self.ranges:
            self.store.release(page, stop - start)

    # -- moving units (no state is copied) --
    def split(self, head_sheets: int) -> tuple[StoredUnit, StoredUnit]:
        """The first ``head_sheets`` sheets and the rest (order kept: first in, first out)."""
        ranges = self.ranges
        if len(ranges) == 1:  # the usual case
            page, start, stop = ranges[0]
            cut = start + head_sheets
            return (StoredUnit(self.store, ((page, start, cut),), head_sheets),
                    StoredUnit(self.store, ((page, cut, stop),), self.n - head_sheets))
        head, tail, left = [], [], head_sheets
        for page, start, stop in ranges:
            if left <= 0:
                tail.append((page, start, stop))
            elif stop - start <= left:
                head.append((page, start, stop))
                left -= stop - start
            else:
                head.append((page, start, start + left))
                tail.append((page, start + left, stop))
                left = 0
        return (StoredUnit(self.store, tuple(head), head_sheets),
                StoredUnit(self.store, tuple(tail), self.n - head_sheets))

    def select(self, mask: np.ndarray) -> StoredUnit:
        """The sheets picked by a boolean mask over the unit, as runs of slots (no copy)."""
        ranges = []
        offset = 0
        for page, start, stop in self.ranges:
            picked = mask[offset:offset + stop - start]
            offset += stop - start
            # runs of picked sheets: where the mask switches on and off
            edges = np.flatnonzero(np.diff(np.concatenate(([False], picked, [False])).astype(np.int8)))
            ranges.extend((page, start + int(on), start + int(off))
                          for on, off in zip(edges[::2], edges[1::2], strict=True))
        return StoredUnit(self.store, _merged(ranges) if ranges else (), int(np.count_nonzero(mask)))

    def drop_scrapped(self) -> StoredUnit:
        """The alive sheets of the unit; the scrapped ones leave the line.

        In each range of the unit, the alive sheets are moved up to
        the range's end, in their order, over the slots of the scrapped ones (which left the line and
        were counted): the unit stays as many ranges as it was, instead of one range per run of alive
        sheets, so the stations downstream keep working on views. This is the one copy of state the
        store makes, as often as sheets are scrapped (rarely, in a plant that makes good cells).
        """
        ranges = []
        for page, start, stop in self.ranges:
            alive = page.alive[start:stop]
            kept = int(np.count_nonzero(alive))
            if kept == stop - start:
                ranges.append((page, start, stop))
                continue
            self.store.release(page, stop - start - kept)
            if kept == 0:
                continue
            picked = start + np.flatnonzero(alive)
            first = stop - kept
            # a gather is a copy, so overlapping source and destination slots are safe; fancy indexing,
            # not ``take(axis=1)``, which walks the strided rows ~40x slower (6 ms a kiln load)
            page.values[:, first:stop] = page.values[:, picked]
            page.entry_time_s[first:stop] = page.entry_time_s.take(picked)
            page.alive[first:stop] = True
            page.scrap_step[first:stop] = page.scrap_step.take(picked)
            page.scrap_cause[first:stop] = page.scrap_cause.take(picked)
            ranges.append((page, first, stop))
        kept_sheets = sum(stop - start for _, start, stop in ranges)
        return StoredUnit(self.store, _merged(ranges) if ranges else (), kept_sheets)

    @staticmethod
    def join(units: list[StoredUnit]) -> StoredUnit:
        if len(units) == 1:
            return units[0]
        ranges = [entry for unit in units for entry in unit.ranges]
        return StoredUnit(units[0].store, _merged(ranges), sum(unit.n for unit in units))


__all__ = ["PAGE_SHEETS", "SheetStore", "StoredUnit"]
