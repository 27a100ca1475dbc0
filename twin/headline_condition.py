"""The condition a headline rests on, said before its figures: a planner reads the table's first lines.

A cell rated at a charge faster than its critical current density allows would short on that charge
(twin.cell_rating.charge_limit_sentence); the yield and cost still count it good. The full sentence comes under
the table with the other notes; :func:`conditional_headline` is the one line printed above the table so the
headline is never read as a cell that can be made when it cannot.
"""

from __future__ import annotations

from twin.cell_rating import c_rate_text


def conditional_headline(result: dict) -> str | None:
    """"Conditional headline: ..." when the rated charge is above the CCD limit of some good cells (the
    ``cell.charge_limit`` sentence is set), else None."""
    cell = result.get("cell") or {}
    if not cell.get("charge_limit"):
        return None
    rated = cell.get("rated_charge_c_rate_per_h")
    basis = "cell.rating.charge_c_rate_per_h"
    if rated is None:
        rated, basis = cell.get("rated_c_rate_per_h"), "cell.rating.c_rate_per_h"
    fastest = cell.get("max_charge_c_rate_per_h") or {}
    if rated is None or fastest.get("p5") is None:
        return None
    weakest = c_rate_text(fastest["p5"], at_most=True)
    return (f"Conditional headline: the figures below count cells charged at {c_rate_text(rated)} ({basis}) as "
            f"good, but their critical current density allows about {weakest} (weakest 5 %): charged at "
            f"{c_rate_text(rated)} they would short. Set {basis.rsplit('.', 1)[0]}.charge_c_rate_per_h to "
            f"{weakest} or slower (see Charge below).")


__all__ = ["conditional_headline"]
