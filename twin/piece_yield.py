"""Step yields in the unit of ``yield.overall``: good cell pieces, counted as sheet-equivalents.

``yield.overall`` is good cell pieces per piece started. A sheet yield (sheets scrapped whole at a step,
``yield.by_step``) misses the pieces lost one by one on sheets that go on, so it is 99.9-100 % at every step of
a line whose headline is 82 %. One definition here, for every command that can record it:

* the **live pieces** after step s, P_s, are the pieces of the sheets still alive after it that are not
  dead (``dead_cell_pieces``); P_-1 = sheets started x pieces per sheet (N C);
* step s **loses** P_(s-1) - P_s pieces: the live pieces of the sheets it scrapped whole (booked by their
  scrap cause), and the pieces it killed or rejected on sheets that go on (a killer defect, a latent
  defect a check found, a pinhole short the ageing screen caught, a piece the end-of-line test
  rejected: cause :data:`SINGLE_PIECES_CAUSE`); plus the cellmates of pieces it rejected after stacking
  (twin.cell_output.cellmate_sheets_by_step, cause ``cellmate_of_rejected_piece``);
* a step's **piece yield** is the share of the pieces entering it that it does not lose;
* the **escape factor** is the share of the shipped pieces (live at the end, cellmates taken off) that
  are good: the rest ship in a cell holding a piece a check missed (twin.cell_output.FinishedOutput).

Then overall yield = product of the piece yields x escape factor, and the shares of the started pieces
lost per cause + escaped + good add up to 1 (a share in pieces / C is a share of "sheet-equivalents").
Pieces with a latent defect or a pinhole short count as live until a check finds them: one not found is
an escape, not a step loss. The counts need the dead pieces of every sheet after every step
(:class:`DeadPieceLedger`, an ``after_step`` hook of twin.sheet_physics.run_route): no new random draw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from twin.scenario import Scenario
from twin.sheet_batch import SCRAP_CAUSES, SheetBatch

SINGLE_PIECES_CAUSE = "single_cell_pieces"   # pieces killed or rejected on sheets that went on
CELLMATE_CAUSE = "cellmate_of_rejected_piece"  # the cellmates of a piece rejected after stacking


class DeadPieceLedger:
    """``after_step`` hook: the dead pieces of every sheet of the sample after each step.

    A (steps x sheets) record, 8 bytes a cell: 0.5 MB for the evaluation's 3000 sheets on a 20-step route.
    The route keeps sheet order (a firing's units are slices concatenated in order), so column i is sheet i.
    """

    def __init__(self) -> None:
        self.dead_after: dict[int, np.ndarray] = {}

    def __call__(self, step_index: int, batch: SheetBatch) -> None:
        self.dead_after[step_index] = batch.state["dead_cell_pieces"].copy()


@dataclass(frozen=True)
class PieceAccount:
    """Where the started pieces went, in pieces (divide by N C for shares of sheet-equivalents)."""

    started_pieces: float
    whole_sheets: dict[str, dict[str, float]]   # step -> scrap cause -> live pieces of the sheets scrapped whole
    single_pieces: dict[str, float]             # step -> pieces lost one by one on sheets that went on
    cellmates: dict[str, float]                 # step -> good pieces lost with a cell the step rejected
    good_pieces: float                          # good pieces of good cells (after assembly)
    escaped_pieces: float                       # pieces shipped in escaped cells

    def lost_at(self, step: str) -> float:
        return (math.fsum(self.whole_sheets.get(step, {}).values()) + self.single_pieces.get(step, 0.0)
                + self.cellmates.get(step, 0.0))

    def step_yields(self, scenario: Scenario) -> dict[str, float]:
        """Share of the pieces entering each step that it does not lose (1 where no piece enters)."""
        yields = {}
        entering = self.started_pieces
        for step in scenario.route:
            lost = self.lost_at(step.name)
            yields[step.name] = (entering - lost) / entering if entering > 0.0 else 1.0
            entering -= lost
        return yields

    @property
    def escape_factor(self) -> float:
        """Good share of the pieces shipped (1 when none shipped: nothing to escape)."""
        shipped = self.good_pieces + self.escaped_pieces
        return self.good_pieces / shipped if shipped > 0.0 else 1.0

    def lost_by_cause(self) -> dict[str, float]:
        """Share of the started pieces lost per cause (every scrap cause, then single pieces and cellmates)."""
        if self.started_pieces <= 0.0:
            return {cause: 0.0 for cause in (*SCRAP_CAUSES, SINGLE_PIECES_CAUSE, CELLMATE_CAUSE)}
        shares = {cause: 0.0 for cause in SCRAP_CAUSES}
        for by_cause in self.whole_sheets.values():
            for cause, pieces in by_cause.items():
                shares[cause] += pieces / self.started_pieces
        shares[SINGLE_PIECES_CAUSE] = math.fsum(self.single_pieces.values()) / self.started_pieces
        shares[CELLMATE_CAUSE] = math.fsum(self.cellmates.values()) / self.started_pieces
        return shares

    def lost_by_step_cause(self) -> dict[str, dict[str, float]]:
        """{step: {cause: sheet-equivalents lost}} (pieces / pieces per sheet), for the scrap shares."""
        table: dict[str, dict[str, float]] = {}
        for step, by_cause in self.whole_sheets.items():
            table.setdefault(step, {}).update(by_cause)
        for cause, per_step in ((SINGLE_PIECES_CAUSE, self.single_pieces), (CELLMATE_CAUSE, self.cellmates)):
            for step, pieces in per_step.items():
                if pieces > 0.0:
                    table.setdefault(step, {})[cause] = pieces
        return table


def piece_account(scenario: Scenario, batch: SheetBatch, ledger: DeadPieceLedger, good_pieces: float,
                  escaped_pieces: float, cellmate_pieces_by_step: dict[str, float]) -> PieceAccount:
    """Book the sample's pieces to the steps that lost them (module docstring).

    ``good_pieces``/``escaped_pieces``: after assembly (twin.cell_output.FinishedOutput.assembled), over the
    same sample; ``cellmate_pieces_by_step``: the cellmates in pieces by the step that rejected their mate.
    """
    cells = scenario.cell.format.cells_per_sheet
    whole: dict[str, dict[str, float]] = {}
    single: dict[str, float] = {}
    dead_before = np.zeros(batch.n)
    for index, step in enumerate(scenario.route):
        dead_after = ledger.dead_after[index]
        scrapped_here = batch.scrap_step == index
        if scrapped_here.any():
            live = cells - dead_before[scrapped_here]
            by_cause = np.bincount(batch.scrap_cause[scrapped_here], weights=live, minlength=len(SCRAP_CAUSES))
            whole[step.name] = {cause: float(by_cause[i]) for i, cause in enumerate(SCRAP_CAUSES) if by_cause[i]}
        going_on = (batch.scrap_step < 0) | (batch.scrap_step > index)
        single[step.name] = float((dead_after[going_on] - dead_before[going_on]).sum())
        dead_before = dead_after
    return PieceAccount(float(batch.n * cells), whole, single, dict(cellmate_pieces_by_step),
                        float(good_pieces), float(escaped_pieces))


__all__ = ["CELLMATE_CAUSE", "DeadPieceLedger", "PieceAccount", "SINGLE_PIECES_CAUSE", "piece_account"]
