"""The yield funnel on the headline's basis: good cell pieces per piece started, after each step.

``yield.overall`` counts good cell pieces. A funnel of sheet yields shows >= 99.9 % at every step of a
line whose headline is 82 %, because most pieces are lost one by one on sheets that go on. The bars here
are the running product of the evaluation's own step yields in good pieces (``yield.piece_yield_by_step``,
twin.piece_yield: a sheet scrapped whole, a piece killed or rejected at the step, the cellmates of a piece
rejected after stacking); the last bar multiplies by the escape factor (the cells holding a piece a check
missed are shipped, but not good), which is ``yield.overall``.
"""

from __future__ import annotations

from twin.scenario import Scenario

DELIVERED_LABEL = "delivered good (cells holding a piece a check missed removed)"


def piece_funnel(scenario: Scenario, yields: dict) -> list[tuple[str, float]]:
    """``[(step or final label, share of cell pieces started still good)]`` ending at ``yields["overall"]``.

    ``yields``: the ``yield`` block of an evaluation (twin.evaluate) with its ``piece_yield_by_step``.
    """
    share = 1.0
    shares = []
    for step in scenario.route:
        share *= yields["piece_yield_by_step"][step.name]
        shares.append((step.name, share))
    shares.append((DELIVERED_LABEL, float(yields["overall"])))
    return shares


__all__ = ["DELIVERED_LABEL", "piece_funnel"]
