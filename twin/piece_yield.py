"""Step yields in the unit of ``yield.overall``: good cell pieces, counted as sheet-equivalents.

``yield.overall`` is good cell pieces per piece started. A sheet yield (sheets scrapped whole at a step,
``yield.sheet_yield_by_step``) misses the pieces lost one by one on sheets that go on, so it is 99.9-100 % at every
step of a line whose headline is 82 %. One definition here, for every command that can record it:

* the **live pieces** after step s, P_s, are the pieces of the sheets still alive after it that are not
  dead (``dead_cell_pieces``); P_-1 = sheets started x pieces per sheet (N C);
* step s **loses** P_(s-1) - P_s pieces: the live pieces of the sheets it scrapped whole (booked by their
  scrap cause), and the pieces it killed or rejected on sheets that go on, booked by the physical cause
  that killed them (the sheet's ``piece_loss_cause``: ``defect`` for a killer defect, ``latent_defect``
  for a sized defect a check or the end-of-line test found, ``pinhole_short`` for a short the ageing
  screen caught, ``batpac_fixed_yield`` for a BatPaC fixed yield), one rule for both in
  :func:`step_piece_losses`, shared by ``evaluate`` (over the sample) and ``simulate`` (per transfer
  unit at each station); plus the cellmates of pieces it rejected after stacking
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

from twin.operations import operation_for
from twin.scenario import Scenario
from twin.sheet_batch import SCRAP_CAUSES, SHEET_STATE_FIELDS, SheetBatch

CELLMATE_CAUSE = "cellmate_of_rejected_piece"  # the cellmates of a piece rejected after stacking
_DEAD_ROW = SHEET_STATE_FIELDS.index("dead_cell_pieces")
_LOSS_CAUSE_ROW = SHEET_STATE_FIELDS.index("piece_loss_cause")
_any = np.logical_or.reduce
_max = np.maximum.reduce


def step_piece_losses(cells_per_sheet: int, dead_before: np.ndarray, values_after: np.ndarray,
                      scrapped_here: np.ndarray, scrap_cause: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Cell pieces one step lost, by cause: (whole, single), each of length ``len(SCRAP_CAUSES)``; None if none.

    ``whole``: the live pieces (pieces per sheet - dead before the step) of the sheets the step scrapped
    whole (``scrapped_here``), under their scrap cause (``scrap_cause``: SCRAP_CAUSES index per sheet);
    ``single``: the pieces it killed on the sheets that went on (dead after - dead before, read from the
    (fields x sheets) state ``values_after``), under the cause the step wrote with them
    (``piece_loss_cause``, twin.sheet_batch.lose_pieces). A piece lost without a cause is a bookkeeping
    error: it is raised, never booked under a made-up cause. The plant calls this for every transfer unit
    at every station, so the usual case (nothing lost) returns early.
    """
    newly = values_after[_DEAD_ROW] - dead_before
    # the cheapest tests (pieces only ever die: newly >= 0), as the ufuncs' reductions: .any() and .max()
    # add a Python layer each, and the plant asks ~5e4 times a simulated year
    any_scrapped = bool(_any(scrapped_here))
    if not any_scrapped and not (newly.size and _max(newly) > 0):
        return None
    lost = newly > 0
    if any_scrapped:
        lost &= ~scrapped_here
    size = len(SCRAP_CAUSES)
    if any_scrapped:
        live = cells_per_sheet - dead_before[scrapped_here]
        whole = np.bincount(scrap_cause[scrapped_here], weights=live, minlength=size)[:size]
    else:
        whole = np.zeros(size)
    if not _any(lost):
        return whole, np.zeros(size)
    causes = values_after[_LOSS_CAUSE_ROW][lost]
    if np.isnan(causes).any():
        raise ValueError("cell pieces were lost without a cause (twin.sheet_batch.lose_pieces not used)")
    single = np.bincount(causes.astype(np.intp), weights=newly[lost], minlength=size)[:size]
    return whole, single


def step_kills_single_pieces(scenario: Scenario, step) -> bool:
    """Whether ``step`` can kill cell pieces one by one on sheets that go on (the callers of lose_pieces).

    Unsized killer defects (``defect_density_per_m2`` without ``defect_size``), an operation that kills pieces
    in its apply() (a check's inspection method finding latent defects, the ageing screen catching pinhole
    shorts: ``kills_pieces_singly``) and BatPaC fixed yields. The plant copies a
    unit's dead pieces before the step only at such stations (a copy and a compare per unit elsewhere cost
    ~5 % of a simulated year); a test checks every library step that loses single pieces is one of them.
    """
    from twin.scenario.batpac_plant import fixed_cell_yield_at  # the scenario layer imports this module's users

    return ((step.defect_density_per_m2 > 0 and step.defect_size is None)
            or operation_for(step).kills_pieces_singly
            or fixed_cell_yield_at(scenario, step.name) is not None)


def sheet_steps(scenario: Scenario) -> set[str]:
    """The steps whose input is still whole sheets: up to and including the first cutting step.

    After it a "sheet" is only a count of sheet-equivalents (its pieces), so a sheet yield has no meaning
    there: tables leave that column blank.
    """
    names: set[str] = set()
    for step in scenario.route:
        names.add(step.name)
        if operation_for(step).cuts_sheets:
            break
    return names


class DeadPieceLedger:
    """``after_step`` hook: the dead pieces of every sheet of the sample after each step.

    A (steps x sheets) record, 8 bytes a cell: 0.5 MB for the evaluation's 3000 sheets on a 20-step route.
    The route keeps sheet order (a firing's units are slices concatenated in order), so column i is sheet i.
    """

    def __init__(self) -> None:
        self.dead_after: dict[int, np.ndarray] = {}
        self.loss_cause_after: dict[int, np.ndarray] = {}

    def __call__(self, step_index: int, batch: SheetBatch) -> None:
        self.dead_after[step_index] = batch.state["dead_cell_pieces"].copy()
        self.loss_cause_after[step_index] = batch.state["piece_loss_cause"].copy()


@dataclass(frozen=True)
class PieceAccount:
    """Where the started pieces went, in pieces (divide by N C for shares of sheet-equivalents)."""

    started_pieces: float
    whole_sheets: dict[str, dict[str, float]]   # step -> scrap cause -> live pieces of the sheets scrapped whole
    single_pieces: dict[str, dict[str, float]]  # step -> cause -> pieces lost one by one on sheets that went on
    cellmates: dict[str, float]                 # step -> good pieces lost with a cell the step rejected
    good_pieces: float                          # good pieces of good cells (after assembly)
    escaped_pieces: float                       # pieces shipped in escaped cells

    def lost_at(self, step: str) -> float:
        return (math.fsum(self.whole_sheets.get(step, {}).values())
                + math.fsum(self.single_pieces.get(step, {}).values()) + self.cellmates.get(step, 0.0))

    def single_pieces_at(self, step: str) -> float:
        """Pieces the step lost one by one on sheets that went on (every cause)."""
        return math.fsum(self.single_pieces.get(step, {}).values())

    def step_yields(self, scenario: Scenario) -> dict[str, float]:
        """Share of the pieces entering each step that it does not lose (1 where no piece enters)."""
        return piece_step_yields([step.name for step in scenario.route],
                                 {step.name: self.lost_at(step.name) for step in scenario.route}, self.started_pieces)

    @property
    def escape_factor(self) -> float:
        """Good share of the pieces shipped (1 when none shipped: nothing to escape)."""
        shipped = self.good_pieces + self.escaped_pieces
        return self.good_pieces / shipped if shipped > 0.0 else 1.0

    def lost_by_cause(self) -> dict[str, float]:
        """Share of the started pieces lost per cause (sheets scrapped whole, single pieces, cellmates)."""
        return shares_by_cause(self.lost_by_step_cause(), self.started_pieces)

    def lost_by_step_cause(self) -> dict[str, dict[str, float]]:
        """{step: {cause: pieces lost}}, whole sheets and single pieces of one cause added, for the scrap shares."""
        table: dict[str, dict[str, float]] = {}
        for source in (self.whole_sheets, self.single_pieces):
            for step, by_cause in source.items():
                into = table.setdefault(step, {})
                for cause, pieces in by_cause.items():
                    if pieces > 0.0:
                        into[cause] = into.get(cause, 0.0) + pieces
        for step, pieces in self.cellmates.items():
            if pieces > 0.0:
                table.setdefault(step, {})[CELLMATE_CAUSE] = pieces
        return {step: by_cause for step, by_cause in table.items() if by_cause}


def piece_step_yields(route: list[str], lost: dict[str, float], started_pieces: float) -> dict[str, float]:
    """Share of the pieces entering each step that it keeps: the pieces started less those lost upstream enter.

    ``lost``: pieces lost at each step (every cause). One definition for evaluate (its sample) and simulate
    (its stations over the measured period, where the pieces in the line at its ends make it approximate).
    """
    yields = {}
    entering = started_pieces
    for name in route:
        here = lost.get(name, 0.0)
        # the running difference rounds: a step that lost every piece left reads -5e-16, not 0 (clipped)
        yields[name] = max((entering - here) / entering, 0.0) if entering > 0.0 else 1.0
        entering = max(entering - here, 0.0)
    return yields


def shares_by_cause(lost: dict[str, dict[str, float]], started_pieces: float) -> dict[str, float]:
    """Share of the started pieces lost per cause (every scrap cause, 0 where none), from {step: {cause: pieces}}.

    The one definition of ``yield.scrap_by_cause`` for ``evaluate`` (its sample) and ``simulate`` (its
    stations): pieces lost / pieces started, i.e. sheet-equivalents per sheet started.
    """
    shares = {cause: 0.0 for cause in SCRAP_CAUSES}
    if started_pieces <= 0.0:
        return shares
    for by_cause in lost.values():
        for cause, pieces in by_cause.items():
            shares[cause] += pieces / started_pieces
    return shares


def piece_account(scenario: Scenario, batch: SheetBatch, ledger: DeadPieceLedger, good_pieces: float,
                  escaped_pieces: float, cellmate_pieces_by_step: dict[str, float]) -> PieceAccount:
    """Book the sample's pieces to the steps that lost them (module docstring).

    ``good_pieces``/``escaped_pieces``: after assembly (twin.cell_output.FinishedOutput.assembled), over the
    same sample; ``cellmate_pieces_by_step``: the cellmates in pieces by the step that rejected their mate.
    """
    cells = scenario.cell.format.cells_per_sheet
    whole: dict[str, dict[str, float]] = {}
    single: dict[str, dict[str, float]] = {}
    dead_before = np.zeros(batch.n)
    after = np.zeros((len(SHEET_STATE_FIELDS), batch.n))
    for index, step in enumerate(scenario.route):
        after[_DEAD_ROW] = ledger.dead_after[index]
        after[_LOSS_CAUSE_ROW] = ledger.loss_cause_after[index]
        losses = step_piece_losses(cells, dead_before, after, batch.scrap_step == index, batch.scrap_cause)
        for table, counts in zip((whole, single), losses or (), strict=False):
            booked = {cause: float(counts[i]) for i, cause in enumerate(SCRAP_CAUSES) if counts[i]}
            if booked:
                table[step.name] = booked
        dead_before = ledger.dead_after[index]
    return PieceAccount(float(batch.n * cells), whole, single, dict(cellmate_pieces_by_step),
                        float(good_pieces), float(escaped_pieces))


__all__ = ["CELLMATE_CAUSE", "DeadPieceLedger", "PieceAccount", "piece_account", "piece_step_yields", "shares_by_cause",
           "sheet_steps", "step_kills_single_pieces", "step_piece_losses"]
