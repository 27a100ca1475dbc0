"""The condition a headline rests on, said before its figures: a planner reads the table's first lines.

A cell rated at a charge faster than its critical current density allows would short on that charge
(twin.cell_rating.charge_limit_sentence); the yield and cost still count it good. The full sentence comes under
the table with the other notes and reports any share; :func:`conditional_headline` is the one line printed above
the table, when that share is large enough to change what the headline means (:data:`HEADLINE_SHORTING_SHARE`).
"""

from __future__ import annotations

from twin.cell_rating import c_rate_text, shorting_share_text

# The headline is marked conditional only when more than this share of its good cells would short at the rated
# charge (assumption: 0.1 % of cells, a warranty-relevant share: a field failure rate of that size is a recall
# question, while a few cells in 100,000 are within the noise of the sample and left to the Charge sentence)
HEADLINE_SHORTING_SHARE = 0.001


def conditional_headline(result: dict) -> str | None:
    """"Conditional headline: ..." when more than :data:`HEADLINE_SHORTING_SHARE` of the good cells would short
    at the rated charge (``cell.charge_shorting``, twin.cell_rating.charge_shorting), else None."""
    cell = result.get("cell") or {}
    shorting = cell.get("charge_shorting") if cell.get("charge_limit") else None
    if not shorting or shorting["share"] <= HEADLINE_SHORTING_SHARE:
        return None
    rated = c_rate_text(shorting["rated_c_rate_per_h"])
    basis = shorting["basis"]
    slowest = c_rate_text(shorting["slowest_limit_c_rate_per_h"], at_most=True)
    return (f"Conditional headline: the figures below count cells charged at {rated} ({basis}) as good, but "
            f"{shorting_share_text(shorting['share'])} of them would short at that charge (critical current "
            f"density below it). Set cell.rating.charge_c_rate_per_h to {slowest} or slower (the slowest of those "
            "cells' limit; see Charge below).")


__all__ = ["HEADLINE_SHORTING_SHARE", "conditional_headline"]
