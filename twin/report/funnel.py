"""The yield funnel on the headline's basis: good cell pieces per piece started, after each step.

``yield.overall`` counts good cell pieces: a killer defect kills the piece it lands on, and a sheet is
scrapped whole only when all its pieces are lost. A funnel of sheet yields therefore shows >= 99.9 % at
every step of a line whose headline is 96 %. Here the evaluation's own sample (same seed, same draws) is
run again with a hook after every step that counts the good pieces left on the good sheets (a piece with
a latent sized defect counts as lost where the defect was made); the last bar takes off the cells that hold a
piece the inspections missed (escapes; one such layer makes the whole cell an escape) and the good cellmates of
pieces rejected after stacking (the cell is rejected whole), which is ``yield.overall``.
"""

from __future__ import annotations

import numpy as np

from twin.evaluate import sample_route
from twin.scenario import Scenario

DELIVERED_LABEL = "delivered good (cells holding a missed bad piece or a rejected one removed)"


def piece_funnel(scenario: Scenario, overall_yield: float) -> list[tuple[str, float]]:
    """``[(step or final label, share of cell pieces started still good)]`` ending at ``overall_yield``."""
    cells = scenario.cell.format.cells_per_sheet
    good_pieces: dict[int, float] = {}
    started: list[int] = []

    def count(step_index: int, batch) -> None:
        if not started:
            started.append(batch.n * cells)
        alive = batch.alive
        # a piece carrying a latent defect is bad from the step that made it, found or not
        good_pieces[step_index] = float(np.count_nonzero(alive) * cells
                                        - batch.state["dead_cell_pieces"][alive].sum()
                                        - batch.state["latent_defect_pieces"][alive].sum())

    sample_route(scenario, np.random.default_rng(scenario.seed), after_step=count)
    total = started[0] if started and started[0] else 1
    shares = [(step.name, good_pieces[index] / total) for index, step in enumerate(scenario.route)]
    shares.append((DELIVERED_LABEL, float(overall_yield)))
    return shares


__all__ = ["DELIVERED_LABEL", "piece_funnel"]
