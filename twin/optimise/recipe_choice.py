"""What became of each decision group's recipe candidates before and in the MILP, as the user reads it.

The sweep's candidates leave in two ways before the MILP (twin.optimise.pruning): below the required quality
margin, or matched or beaten on every count the MILP weighs by another candidate. Of several candidates that
tie on every count only the first is kept, so "10 -> 1 non-dominated" hid that 7, 8, 9 and 10 MPa were equally
good and 7 stood for them; in another scenario or calendar a different one is first or wins alone. This
account says which: kept, tied with a kept one (dropped as a duplicate), beaten, below the margin, and which
kept one the MILP chose.
"""

from __future__ import annotations

import math

import numpy as np

from twin.optimise.problem import OptimisationProblem
from twin.optimise.pruning import _criteria

# Two candidates tie when every count agrees to this relative tolerance: the one pruning's sweep uses
# (twin.optimise.pruning.non_dominated's rel_tol)
TIE_TOLERANCE = 1e-12
# The counts pruning compares (twin.optimise.pruning._criteria), in words
PRUNING_COUNTS = ("per good piece leaving the span: sheets entering it, machine-hours at each station, variable "
                  "cost and energy; and the worst 1 % sheet's quality margin")


def _tie_classes(table: np.ndarray) -> np.ndarray:
    """A class number per row: rows equal on every count (to TIE_TOLERANCE; two infinities are equal) share one.

    Rows are sorted lexicographically, as pruning's sweep visits them, and a row equal to the one before it joins
    its class: one pass, where comparing every dropped row with every kept one took ~1 s on the gigafactory's
    17,920 x 129."""
    k = table.shape[0]
    if k == 0:
        return np.zeros(0, dtype=int)
    order = np.lexsort(table.T[::-1])
    ordered = table[order]
    before, after = ordered[:-1], ordered[1:]
    slack = TIE_TOLERANCE * np.abs(np.where(np.isfinite(before), before, 0.0))
    with np.errstate(invalid="ignore"):
        same = np.all((after == before) | (np.abs(after - before) <= slack), axis=1)
    classes = np.empty(k, dtype=int)
    classes[order] = np.cumsum(np.concatenate([[True], ~same]))
    return classes


def group_choice(full: OptimisationProblem, g: int, kept: np.ndarray, chosen: int) -> dict:
    """The account of decision group ``g`` of the unpruned problem ``full``.

    ``kept``: the indices pruning kept (into ``full``'s candidates); ``chosen``: the index (into ``full``) of
    the candidate the MILP chose. Counts: ``swept``, ``kept``, ``below_required_margin`` (the worst 1 %
    sheet's margin under ``optimisation.min_quality_margin``; pruned first), ``tied`` (equal on every count to a kept
    one, dropped as duplicates), ``beaten`` (worse on one count at least, no better on any, than a kept one);
    ``chosen_recipe`` and ``chosen_ties``: the recipes equal to it on every count (the MILP cannot tell them
    apart; evaluate of each may, e.g. in a spec's tail the candidate sample does not reach)."""
    group = full.groups[g]
    k = group.candidates
    kept = np.asarray(kept, dtype=int)
    margin = np.asarray(group.quality_margin, dtype=float)
    usable = margin >= full.min_quality_margin
    if not usable.any():
        usable = np.ones(k, dtype=bool)    # pruning keeps them all then (the infeasibility diagnosis needs them)
    classes = _tie_classes(_criteria(full, g))
    dropped = np.ones(k, dtype=bool)
    dropped[kept] = False
    tied = dropped & usable & np.isin(classes, classes[kept])
    chosen_ties = [int(i) for i in np.flatnonzero(classes == classes[chosen]) if i != chosen]
    return {
        "swept": int(k),
        "kept": int(kept.size),
        "below_required_margin": int(np.count_nonzero(~usable)),
        "tied": int(np.count_nonzero(tied)),
        "beaten": int(np.count_nonzero(dropped & usable & ~tied)),
        # None: no floor was asked (optimisation.min_quality_margin unset)
        "required_margin": float(full.min_quality_margin) if math.isfinite(full.min_quality_margin) else None,
        "chosen_recipe": group.recipes[chosen],
        "chosen_ties": [group.recipes[i] for i in chosen_ties],
    }


def recipe_choices(full: OptimisationProblem, kept: list[np.ndarray], choice: list[int]) -> dict[str, dict]:
    """``{group: group_choice}`` for every decision group; ``choice``: the MILP's pick, into the kept ones."""
    return {group.name: group_choice(full, g, kept[g], int(kept[g][choice[g]]))
            for g, group in enumerate(full.groups)}


__all__ = ["PRUNING_COUNTS", "TIE_TOLERANCE", "group_choice", "recipe_choices"]
