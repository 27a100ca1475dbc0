"""The finished goods' tally of many units at once: each unit's :class:`twin.cell_output.FinishedOutput`,
bit for bit what :func:`twin.cell_output.finished_output` gives for it alone.

The plant counts ~2e4 units a year as they leave the line (twin.des.endpoints.FinishedGoods), each a
chain of ~30 small numpy calls when counted alone, most of it a fixed cost per call. Nothing in the line
depends on these counts until the end of the run, so the finished goods hold units and count many of
them side by side: the per-sheet arrays come from the same definitions (``sheet_pieces``,
``delivered_energy_Wh_per_piece``, elementwise), and only the per-unit reductions are made here, in
a way whose floats equal finished_output's (see :func:`finished_outputs`).
"""

from __future__ import annotations

import numpy as np

from twin.cell_output import (
    FinishedOutput,
    delivered_energy_Wh_per_piece,
    lot_escape_booking,
    lot_escapes,
    sheet_pieces,
)
from twin.scenario import Scenario
from twin.sheet_batch import SHEET_STATE_FIELDS

# The state rows finished_outputs reads (finished_output reads the same)
TALLY_FIELDS = ("dead_cell_pieces", "out_of_spec_cause", "pinhole_shorted_pieces", "latent_defect_pieces",
                "stacked_pieces", "areal_capacity_mAh_per_cm2", "electrolyte_asr_ohm_m2", "interface_asr_ohm_m2",
                "catholyte_asr_ohm_m2", "out_of_spec_step", "pinhole_short_step", "latent_defect_step",
                "cathode_relative_density")   # the cathode's utilisation (twin.cell_rating.cathode_utilisation)
_STACKED_ROW = SHEET_STATE_FIELDS.index("stacked_pieces")


def _whole(values: np.ndarray) -> bool:
    return np.array_equal(values, np.floor(values))   # False with a NaN


def finished_outputs(scenario: Scenario, values: np.ndarray, starts: np.ndarray) -> list[FinishedOutput] | None:
    """:func:`twin.cell_output.finished_output` of each of many units of live sheets side by side, with
    the per-sheet work done once for all of them.

    ``values``: the ``TALLY_FIELDS`` rows of the units' sheets, a (fields x sheets) matrix or a mapping
    of row index (in ``SHEET_STATE_FIELDS``) to row; unit i is the sheets ``starts[i]:starts[i + 1]``
    (the last to the end), every sheet alive. The same figures, bit for bit, as finished_output of each
    unit alone: the per-sheet arrays are elementwise, each unit's delivered energy is its own dot
    product, and its pieces (good, escaped by step, stacked) are whole numbers, whose float sums are
    exact in any order. None when some piece count is not a whole number: then count each unit with
    finished_output.
    """
    pieces, escaped, shorted, latent, good = sheet_pieces(scenario, values)
    stacked = values[_STACKED_ROW]
    stacked = np.where(np.isnan(stacked), 0.0, stacked)
    # the escapes as finished_output books them: (sheet, check that missed it, pieces)
    sheets_at, steps_at, escaped_at = [], [], []
    for these, mask, step_row in ((pieces, escaped, "out_of_spec_step"), (shorted, shorted > 0, "pinhole_short_step"),
                                  (latent, latent > 0, "latent_defect_step")):
        if np.logical_or.reduce(mask):
            where = np.flatnonzero(mask)
            sheets_at.append(where)
            steps_at.append(values[SHEET_STATE_FIELDS.index(step_row)].take(where))
            escaped_at.append(these.take(where))
    escaped_pieces = np.concatenate(escaped_at) if escaped_at else np.zeros(0)
    if not (_whole(good) and _whole(stacked) and _whole(escaped_pieces)):
        return None
    units = len(starts)
    table = None
    if escaped_at:
        steps = np.concatenate(steps_at).astype(np.intp)
        step_count = int(steps.max()) + 1
        unit_of = np.searchsorted(starts, np.concatenate(sheets_at), side="right") - 1
        table = np.bincount(unit_of * step_count + steps, weights=escaped_pieces,
                            minlength=units * step_count).reshape(units, step_count)
        escaped_sums = table.sum(axis=1).tolist()
    energy = delivered_energy_Wh_per_piece(scenario, values)
    lot = None
    if np.logical_or.reduce(escaped):
        lot = lot_escapes(values, pieces, escaped)
        out_of_spec_step = values[SHEET_STATE_FIELDS.index("out_of_spec_step")]
    good_sums = np.add.reduceat(good, starts).tolist()
    stacked_sums = np.add.reduceat(stacked, starts).tolist()
    stops = starts[1:].tolist() + [good.size]
    outputs = []
    for unit, (start, stop) in enumerate(zip(starts.tolist(), stops, strict=True)):
        by_step: tuple[tuple[int, float], ...] = ()
        escaped_unit = 0.0
        if table is not None and escaped_sums[unit]:
            row = table[unit]
            escaped_unit = escaped_sums[unit]
            by_step = tuple((int(step), float(row[step])) for step in row.nonzero()[0])
        # a capacity grade's escapes (rare: a handful of sheets a year) booked per unit as finished_output does
        lot_by_step = (lot_escape_booking(out_of_spec_step[start:stop], lot[start:stop])
                       if lot is not None and escaped_unit else ())
        outputs.append(FinishedOutput(sheets=stop - start, good_pieces=good_sums[unit], escaped_pieces=escaped_unit,
                                      delivered_Wh=float(good[start:stop] @ energy[start:stop]),
                                      escaped_by_step=by_step, stacked_pieces=stacked_sums[unit],
                                      lot_escaped_by_step=lot_by_step))
    return outputs


__all__ = ["TALLY_FIELDS", "finished_outputs"]
