"""What the sheets leaving the line are worth: good and escaped cell pieces, and the energy they deliver.

One definition for every command (evaluate, simulate, optimise, report, API):

* a **good cell piece** is a piece not killed by a defect, on a sheet that left the last step alive and
  was never found out of spec by a check (detected or missed);
* an **escaped piece** is a live piece on a sheet that left the plant although a check found it out of
  spec and missed it, or a piece carrying a latent sized defect no inspection method found
  (twin.inspection_methods): it is shipped, it is not good output, and it costs ``costs.quality``;
* a good piece **delivers** the energy of its own sheet's state: the capacity its cathode cycles (stored
  capacity as made x the utilisation its made density allows, less an anode-free cell's first-cycle Li loss:
  :func:`twin.cell_rating.cyclable_capacity_mAh_per_cm2`), rated at ``cell.rating`` over the electrolyte +
  interface ASR
  (:func:`process_models.cell_delivery.delivered_energy_Wh_per_m2`), times the cell-layer area.

A finished cell stacks ``layers_per_cell`` pieces drawn from the stream (``FinishedOutput.assembled``): it is
good only if every piece is; one escaped piece makes it an escaped cell. After stacking the cell is one unit:
a piece a later step rejects (end-of-line test, OCV screen, any check after the stacking step) takes the cell
with it, so its L - 1 cellmates are lost too (scrap cause ``cellmate_of_rejected_piece``, booked at the steps
that rejected them: :func:`cellmate_sheets_by_step`). A good cell's delivered energy is that many pieces'
mean delivered energy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from process_models.cell_delivery import delivered_energy_Wh_per_m2, rate_limited_delivery
from twin.capacity import cathode_design_capacity_mAh_per_cm2
from twin.capacity_sentences import (
    CAPACITY_SHORTFALL_TOLERANCE,
    capacity_shortfall_sentence,
    capacity_surplus_sentence,
    no_good_cell_sentence,
)
from twin.cell_rating import (
    charge_limit_sentence,
    charge_shorting,
    cyclable_capacity_mAh_per_cm2,
    finished_cell_metrics,
    layer_thickness_block,
    max_charge_c_rate_per_h,
)
from twin.operations import operation_for
from twin.results import quality_summary
from twin.scenario import Scenario
from twin.sheet_batch import CAUSE_INDEX, SHEET_STATE_FIELDS
from twin.thin_film_output import thin_film_block

_ROW = {name: SHEET_STATE_FIELDS.index(name) for name in SHEET_STATE_FIELDS}
_GRADED_OUT = CAUSE_INDEX["low_capacity"]   # the capacity grade's cause (twin.capacity_grading.GRADING_CAUSE)
_PIECE_ROUNDING = 1e-9   # relative: far above float rounding of a sum of pieces, far below one piece in 1e8


def _zero_where_unset(values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), 0.0, values)


def total_asr_ohm_m2(values: np.ndarray) -> np.ndarray:
    """Series ASR of the discharge per sheet: electrolyte + Li/electrolyte interface + a hybrid cell's
    catholyte side (SLEI and pore liquid) (unset counts 0) [ohm m^2].

    ``values``: a (fields x sheets) state matrix (``SheetBatch.values``) or a matrix of its rows in
    ``SHEET_STATE_FIELDS`` order.
    """
    return _zero_where_unset(values[_ROW["electrolyte_asr_ohm_m2"]]) \
        + _zero_where_unset(values[_ROW["interface_asr_ohm_m2"]]) \
        + _zero_where_unset(values[_ROW["catholyte_asr_ohm_m2"]])


def delivered_capacity_mAh_per_cm2(scenario: Scenario, values: np.ndarray) -> np.ndarray:
    """Areal capacity each sheet delivers at the rated rate [mAh/cm^2] (0 where no cathode was made): the
    capacity it cycles (twin.cell_rating.cyclable_capacity_mAh_per_cm2) that the rated current gets out."""
    rating = scenario.cell.rating
    cyclable = cyclable_capacity_mAh_per_cm2(scenario, values)
    fraction, _ = rate_limited_delivery(cyclable, total_asr_ohm_m2(values), rating.c_rate_per_h,
                                        scenario.cell.format.nominal_voltage_V, rating.cutoff_voltage_V)
    return cyclable * fraction


def delivered_energy_Wh_per_piece(scenario: Scenario, values: np.ndarray) -> np.ndarray:
    """Energy one cell piece (one layer of a cell) of each sheet delivers at the rated rate [Wh]."""
    rating = scenario.cell.rating
    cyclable = cyclable_capacity_mAh_per_cm2(scenario, values)
    per_m2 = delivered_energy_Wh_per_m2(cyclable, total_asr_ohm_m2(values), rating.c_rate_per_h,
                                        scenario.cell.format.nominal_voltage_V, rating.cutoff_voltage_V)
    return per_m2 * scenario.cell_layer_area_m2


def design_capacity_mAh_per_cm2(scenario: Scenario) -> float:
    """The design's areal capacity: the target, limited by what the designed cathode holds at full density."""
    return min(scenario.cell.target_areal_capacity_mAh_per_cm2, cathode_design_capacity_mAh_per_cm2(scenario))


def design_cell_energy_Wh(scenario: Scenario) -> float:
    """Energy of one cell made exactly to the design, with no resistance: capacity x V x layer area x layers."""
    return (design_capacity_mAh_per_cm2(scenario) * 10.0 * scenario.cell_layer_area_m2
            * scenario.cell.format.layers_per_cell * scenario.cell.format.nominal_voltage_V)


def cells_free_of(pieces: float, marked: float, layers: int) -> float:
    """Expected share of the cells stacked from ``pieces`` counted pieces (``layers`` each, drawn at random)
    that hold none of ``marked`` of them (rejected, or escaped pieces).

    Hypergeometric: L pieces drawn without replacement from N miss all K marked ones with probability
    prod_{i<L} (N - K - i) / (N - i). Exact for counted pieces (100 pieces of which 1 is marked, L = 10:
    exactly one cell of the ten holds it), and (1 - K/N)^L, the binomial compound yield of random assembly,
    for a long stream (relative difference ~ L^2 K / N^2). Fewer pieces than one cell (N < L): the binomial.
    """
    if marked <= 0.0 or pieces <= 0.0:
        return 1.0
    if pieces < layers:
        return max(1.0 - marked / pieces, 0.0) ** layers
    share = 1.0
    for i in range(layers):
        share *= max(pieces - marked - i, 0.0) / (pieces - i)
    return share


@dataclass(frozen=True)
class FinishedOutput:
    """Totals over sheets that left the last step alive (additive: sum them over units).

    ``stacked_pieces``: the live pieces those sheets had when they were stacked into cells (0 without a
    stacking step); ``scrapped_stacked_sheets``/``scrapped_stacked_pieces``: sheets scrapped after stacking
    and the pieces they had then. Their difference to the pieces shipped is what steps after stacking
    rejected (:attr:`rejected_pieces`). ``cellmate_pieces``: set by :meth:`assembled`.
    """

    sheets: int = 0
    good_pieces: float = 0.0
    escaped_pieces: float = 0.0
    delivered_Wh: float = 0.0                 # summed over good pieces
    escaped_by_step: tuple[tuple[int, float], ...] = ()  # (route index of the check that missed, pieces)
    stacked_pieces: float = 0.0
    scrapped_stacked_sheets: float = 0.0
    scrapped_stacked_pieces: float = 0.0
    cellmate_pieces: float = 0.0              # pieces not rejected themselves, lost in a rejected cell
    # escaped pieces (of escaped_pieces) on sheets a capacity grade passed below it: they ship as whole cells of
    # their own sheet (the grade's unit, twin.capacity_grading), so assembly neither spreads nor multiplies them
    lot_escaped_by_step: tuple[tuple[int, float], ...] = ()   # (route index of the grading check, pieces)

    @property
    def lot_escaped_pieces(self) -> float:
        """Escaped pieces a capacity grade passed (see ``lot_escaped_by_step``)."""
        return math.fsum(pieces for _, pieces in self.lot_escaped_by_step)

    def __add__(self, other: FinishedOutput) -> FinishedOutput:
        return FinishedOutput(self.sheets + other.sheets, self.good_pieces + other.good_pieces,
                              self.escaped_pieces + other.escaped_pieces, self.delivered_Wh + other.delivered_Wh,
                              _merged(self.escaped_by_step, other.escaped_by_step),
                              self.stacked_pieces + other.stacked_pieces,
                              self.scrapped_stacked_sheets + other.scrapped_stacked_sheets,
                              self.scrapped_stacked_pieces + other.scrapped_stacked_pieces,
                              self.cellmate_pieces + other.cellmate_pieces,
                              _merged(self.lot_escaped_by_step, other.lot_escaped_by_step))

    @property
    def rejected_pieces(self) -> float:
        """Pieces rejected after stacking: those of the sheets scrapped then, and those found on sheets
        that went on (stacked minus shipped)."""
        if self.stacked_pieces <= 0.0 and self.scrapped_stacked_pieces <= 0.0:
            return 0.0
        found_on_shipped = self.stacked_pieces - (self.good_pieces + self.escaped_pieces)
        # expected (fractional) pieces (twin.expected_outcomes) sum with rounding: a difference of that
        # order is no rejected piece (counted pieces differ by at least one)
        if found_on_shipped <= _PIECE_ROUNDING * self.stacked_pieces:
            found_on_shipped = 0.0
        return self.scrapped_stacked_pieces + found_on_shipped

    def with_sheets_scrapped_after_stacking(self, sheets: float) -> FinishedOutput:
        """The same output with ``sheets`` more scrapped after stacking, each with the finished sheets' mean
        stacked pieces: for the plant model, which drops a scrapped sheet's state at the station."""
        if sheets <= 0.0 or self.sheets == 0 or self.stacked_pieces <= 0.0:
            return self
        return replace(self, scrapped_stacked_sheets=self.scrapped_stacked_sheets + sheets,
                       scrapped_stacked_pieces=self.scrapped_stacked_pieces
                       + sheets * self.stacked_pieces / self.sheets)

    def assembled(self, layers: int) -> FinishedOutput:
        """The pieces stacked into cells of ``layers`` pieces, in cell-equivalent pieces (cells x layers).

        The stacker draws a cell's L pieces from the stream of the N pieces it stacks. A cell holding a
        piece a later step rejected is rejected whole: its pieces that were not rejected themselves are
        lost as cellmates. A cell holding an escaped piece (and none rejected) is an escaped cell, its
        good pieces ship inside it. With R rejected and B escaped of N (:func:`cells_free_of`): good
        pieces = N x P(no rejected, no escaped), escaped = N x (P(no rejected) - P(no rejected, no
        escaped)), cellmates = shipped - both; for a long stream good = N (1 - r - b)^L. Escapes stay split
        over the checks that missed them in proportion; the delivered energy per good piece is unchanged.
        With nothing rejected or escaped, or one layer per cell, nothing changes.

        The lot escapes (:attr:`lot_escaped_pieces`) stay out of the random stream: they ship as whole cells of
        their own sheet, escaped, neither spread over ~L cells nor taking good cellmates.
        """
        lot = self.lot_escaped_pieces
        stream_escaped = self.escaped_pieces - lot
        if lot > 0.0 and stream_escaped <= _PIECE_ROUNDING * self.escaped_pieces:
            stream_escaped = 0.0   # rounding of the sums: every escape is a lot escape
        shipped = self.good_pieces + stream_escaped
        rejected = self.rejected_pieces
        if layers <= 1 or shipped <= 0.0 or (stream_escaped <= 0.0 and rejected <= 0.0):
            return self
        stacked = shipped + rejected
        good = stacked * cells_free_of(stacked, rejected + stream_escaped, layers)
        escaped = max(stacked * cells_free_of(stacked, rejected, layers) - good, 0.0)
        scale = escaped / stream_escaped if stream_escaped > 0.0 else 0.0
        # the lot escapes are booked at their grading check too: only the rest of its booking is scaled
        lot_at = dict(self.lot_escaped_by_step)
        delivered = self.delivered_Wh * good / self.good_pieces if self.good_pieces > 0.0 else 0.0
        return FinishedOutput(self.sheets, good, escaped + lot, delivered,
                              tuple((step, max(pieces - lot_at.get(step, 0.0), 0.0) * scale + lot_at.get(step, 0.0))
                                    for step, pieces in self.escaped_by_step),
                              cellmate_pieces=self.cellmate_pieces + max(shipped - good - escaped, 0.0),
                              lot_escaped_by_step=self.lot_escaped_by_step)


def _merged(first: tuple[tuple[int, float], ...], second: tuple[tuple[int, float], ...]) -> tuple:
    """Two (route index, pieces) bookings added step by step, in route order."""
    merged = dict(first)
    for step, pieces in second:
        merged[step] = merged.get(step, 0.0) + pieces
    return tuple(sorted(merged.items()))


def assembly_index(scenario: Scenario) -> int | None:
    """Route index of the step that stacks pieces into cells (the first, if several), or None."""
    for index, step in enumerate(scenario.route):
        if operation_for(step).assembles_cells:
            return index
    return None


def cellmate_sheets_by_step(scenario: Scenario, cellmate_sheets: float,
                            scrapped_sheets_by_step: dict[str, float]) -> dict[str, float]:
    """Where cellmates are lost: ``{step: sheet-equivalents}`` over the steps after stacking.

    In proportion to the sheets each step after stacking scrapped (``scrapped_sheets_by_step``, any
    cause); when none scrapped a whole sheet (pieces were found on sheets that went on), at the last
    quality check after stacking, else the last step. Exact for the library's routes, which reject
    after stacking at one step (the end-of-line test or the OCV screen).
    """
    first = assembly_index(scenario)
    if cellmate_sheets <= 0.0 or first is None:
        return {}
    after = scenario.route[first + 1:]
    if not after:
        return {}
    weights = {step.name: max(float(scrapped_sheets_by_step.get(step.name, 0.0)), 0.0) for step in after}
    total = math.fsum(weights.values())
    if total <= 0.0:
        checks = [step.name for step in after if operation_for(step).is_quality_check]
        return {(checks[-1] if checks else after[-1].name): cellmate_sheets}
    return {name: cellmate_sheets * weight / total for name, weight in weights.items() if weight > 0.0}


def sheet_pieces(scenario: Scenario, values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per sheet of a matrix of sheets that left the line: (live pieces, escaped whole, shorted, latent, good)."""
    pieces = scenario.cell.format.cells_per_sheet - values[_ROW["dead_cell_pieces"]]
    unflagged = np.isnan(values[_ROW["out_of_spec_cause"]])
    escaped = ~unflagged
    # pieces a thin-film pinhole shorted and pieces with a latent defect (twin.inspection_methods) that no
    # check found escape piece by piece on a sheet not already bad (the rest of their sheet stays good);
    # on a sheet escaped whole they are already among its escaped pieces
    shorted = _zero_where_unset(values[_ROW["pinhole_shorted_pieces"]])
    if np.logical_and.reduce(unflagged):
        # the usual lot: no sheet escaped whole, so the np.where(escaped, 0, x) below would return every x
        # (the plant counts ~2e4 lots a year)
        latent = np.minimum(_zero_where_unset(values[_ROW["latent_defect_pieces"]]), pieces - shorted)
        return pieces, escaped, shorted, latent, pieces - shorted - latent
    shorted = np.where(escaped, 0.0, shorted)
    latent = np.where(escaped, 0.0, np.minimum(_zero_where_unset(values[_ROW["latent_defect_pieces"]]),
                                               pieces - shorted))
    good = np.where(escaped, 0.0, pieces - shorted - latent)
    return pieces, escaped, shorted, latent, good


def lot_escapes(values: np.ndarray, pieces: np.ndarray, escaped: np.ndarray) -> np.ndarray:
    """Per sheet: the escaped pieces of a sheet a capacity grade passed below it (first out of spec there), else
    0; they ship as whole cells of that sheet (FinishedOutput.lot_escaped_by_step)."""
    return np.where(escaped & (values[_ROW["out_of_spec_cause"]] == _GRADED_OUT), pieces, 0.0)


def lot_escape_booking(out_of_spec_step: np.ndarray, lot: np.ndarray) -> tuple[tuple[int, float], ...]:
    """(route index of the grading check, lot-escaped pieces) of sheets with ``lot`` pieces (:func:`lot_escapes`)
    and their ``out_of_spec_step`` row."""
    where = lot > 0
    if not np.logical_or.reduce(where):
        return ()
    counts = np.bincount(out_of_spec_step[where].astype(np.intp), weights=lot[where])
    return tuple((int(step), float(counts[step])) for step in counts.nonzero()[0])


def finished_output(scenario: Scenario, values: np.ndarray, alive: np.ndarray | None = None) -> FinishedOutput:
    """Good and escaped pieces and delivered energy of the alive sheets of a (fields x sheets) state matrix.

    The scrapped sheets of the matrix (``alive`` False) count only with the pieces they had when stacked,
    if a step after stacking scrapped them (``FinishedOutput.scrapped_stacked_pieces``).
    """
    scrapped_sheets = scrapped_pieces = 0.0
    if alive is not None and not np.logical_and.reduce(alive):
        stacked_then = values[_ROW["stacked_pieces"]][~alive]
        stacked_then = stacked_then[~np.isnan(stacked_then)]
        scrapped_sheets, scrapped_pieces = float(stacked_then.size), float(stacked_then.sum())
        values = values[:, alive]
    sheets = values.shape[1]
    if sheets == 0:
        return FinishedOutput(scrapped_stacked_sheets=scrapped_sheets, scrapped_stacked_pieces=scrapped_pieces)
    pieces, escaped, shorted, latent, good = sheet_pieces(scenario, values)
    delivered = float(good @ delivered_energy_Wh_per_piece(scenario, values))
    # each escape is booked at the check that missed it, or for a short at the step that last let it pass;
    # the parts that are empty (usually all but the latent pieces) are left out, which leaves the pieces,
    # their order and so their sums as they were
    pieces_parts, step_parts = [], []
    for these, mask, step_row in ((pieces, escaped, "out_of_spec_step"), (shorted, None, "pinhole_short_step"),
                                  (latent, None, "latent_defect_step")):
        mask = these > 0 if mask is None else mask
        if np.logical_or.reduce(mask):
            pieces_parts.append(these[mask])
            step_parts.append(values[_ROW[step_row]][mask])
    escaped_pieces = 0.0
    by_step: tuple[tuple[int, float], ...] = ()
    if pieces_parts:
        parts = pieces_parts[0] if len(pieces_parts) == 1 else np.concatenate(pieces_parts)
        steps = step_parts[0] if len(step_parts) == 1 else np.concatenate(step_parts)
        escaped_pieces = float(parts.sum())
        counts = np.bincount(steps.astype(np.intp), weights=parts)
        by_step = tuple((int(step), float(counts[step])) for step in counts.nonzero()[0])
    stacked = values[_ROW["stacked_pieces"]]
    return FinishedOutput(sheets=sheets, good_pieces=float(good.sum()), escaped_pieces=escaped_pieces,
                          delivered_Wh=delivered, escaped_by_step=by_step,
                          stacked_pieces=float(stacked[~np.isnan(stacked)].sum()),
                          scrapped_stacked_sheets=scrapped_sheets, scrapped_stacked_pieces=scrapped_pieces,
                          lot_escaped_by_step=lot_escape_booking(values[_ROW["out_of_spec_step"]],
                                                                lot_escapes(values, pieces, escaped)))


def good_sheet_mask(values: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """Sheets that left the line alive and were never found out of spec (the good output's sheets)."""
    return alive & np.isnan(values[_ROW["out_of_spec_cause"]])


def cell_block(scenario: Scenario, values: np.ndarray, alive: np.ndarray,
               finished: FinishedOutput | None = None) -> dict:
    """The ``cell`` result block: design vs delivered capacity and energy, Wh/kg, Wh/L, CCD and the fastest
    charge it allows.

    ``values``/``alive``: the state matrix of the sheets that left the line (or a sample of them);
    ``finished``: exact totals when the caller counted them (the twin), else taken from ``values``.
    """
    finished = finished_output(scenario, values, alive) if finished is None else finished
    good_values = values[:, good_sheet_mask(values, alive)]
    layers = scenario.cell.format.layers_per_cell
    delivered_cell_Wh = finished.delivered_Wh / finished.good_pieces * layers if finished.good_pieces > 0 else 0.0
    design = design_capacity_mAh_per_cm2(scenario)
    delivered = quality_summary(delivered_capacity_mAh_per_cm2(scenario, good_values))
    made = quality_summary(good_values[_ROW["areal_capacity_mAh_per_cm2"]])
    block = {
        "design_capacity_mAh_per_cm2": design,
        "made_capacity_mAh_per_cm2": made,
        "delivered_capacity_mAh_per_cm2": delivered,
        "design_cell_energy_wh": design_cell_energy_Wh(scenario),
        "delivered_cell_energy_wh": delivered_cell_Wh,
        "rated_c_rate_per_h": scenario.cell.rating.c_rate_per_h,
        "cutoff_voltage_V": scenario.cell.rating.cutoff_voltage_V,
        "critical_current_density_mA_per_cm2": quality_summary(
            good_values[_ROW["critical_current_density_A_per_m2"]] * 0.1),
        "capacity_shortfall": None,
        "capacity_above_design": None,
        "rated_charge_c_rate_per_h": scenario.cell.rating.charge_c_rate_per_h,
        "max_charge_c_rate_per_h": quality_summary(   # on the capacity the cell cycles, as the charge sentence
            max_charge_c_rate_per_h(good_values, cyclable_capacity_mAh_per_cm2(scenario, good_values))),
        "charge_limit": charge_limit_sentence(scenario, good_values),
    }
    if block["charge_limit"]:   # for the headline's condition (twin.headline_condition); a line within its CCD: no key
        block["charge_shorting"] = charge_shorting(scenario, good_values)
    block["layer_thickness"], block["layer_thickness_note"] = layer_thickness_block(scenario, values)
    thin_film = thin_film_block(scenario)
    if thin_film is not None:   # a cell made on a substrate (vacuum route): its line figures
        block["thin_film"] = thin_film
    if good_values.shape[1] == 0:
        block["capacity_shortfall"] = no_good_cell_sentence(scenario, values, design)
        block.update({"specific_energy_wh_per_kg": None, "energy_density_wh_per_l": None, "mass_kg": None})
        return block
    block.update(finished_cell_metrics(scenario, good_values, delivered_cell_Wh))
    made_mean = made["mean"] if made["mean"] is not None else 0.0
    block["capacity_shortfall"] = capacity_shortfall_sentence(scenario, design, delivered["mean"], made_mean,
                                                              good_values)
    block["capacity_above_design"] = capacity_surplus_sentence(scenario, design, delivered["mean"], made_mean,
                                                               good_values)
    return block


__all__ = [
    "CAPACITY_SHORTFALL_TOLERANCE", "FinishedOutput", "assembly_index", "capacity_shortfall_sentence", "cell_block",
    "cellmate_sheets_by_step", "cells_free_of", "delivered_capacity_mAh_per_cm2", "delivered_energy_Wh_per_piece",
    "design_capacity_mAh_per_cm2", "design_cell_energy_Wh", "finished_output", "good_sheet_mask",
    "lot_escape_booking", "lot_escapes", "sheet_pieces", "total_asr_ohm_m2",
]
