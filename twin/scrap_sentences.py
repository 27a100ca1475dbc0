"""The largest scrap causes, said in the first lines a planner reads: what the line loses, where and why.

``yield.scrap_shares`` (twin.no_output.scrap_shares) lists every (step, cause) with its share of the pieces
started; the text printed them only when no good cell was made, so a baseline whose end-of-line test keeps
84.6 % of the pieces it tests gave no word why. :func:`largest_losses_sentence` names each share above
:data:`LOSS_WORTH_SAYING`, what the cause means, and for cellmates (good layers stacked into a cell with a
rejected one) the arithmetic that makes them:

    p = r / E        (bad layers at the step r, pieces entering it E, both shares of the pieces started; E
                      leaves out the pieces the step scraps as whole cells, WHOLE_CELL_CAUSES: no layer of
                      theirs was rejected, so they neither hold bad layers nor make cellmates)
    c = 1 - (1 - p)^L   (share of its cells holding at least one bad layer, L layers per cell)
    cellmates = c E - r

which is the piece account's own figure when the bad layers fall independently on the cells
(twin.cell_output.FinishedOutput.assembled draws the stack order from the stream).
"""

from __future__ import annotations

import math

from twin.figures import plain

# twin.piece_yield.CELLMATE_CAUSE (not imported: twin.piece_yield pulls in the scenario layer)
CELLMATE_CAUSE = "cellmate_of_rejected_piece"

# A loss is named when it takes more than this share of the pieces started (assumption: 1 %, the size of the
# sampling error of the headline yield on the library lines, +-0.6 points; below it a cause does not move
# the headline beyond its own noise)
LOSS_WORTH_SAYING = 0.01

# Causes a check books on a whole cell (all its layers), not on one layer: they make no cellmates
# (twin.capacity_grading grades the cell's delivered capacity)
WHOLE_CELL_CAUSES = frozenset({"low_capacity"})

# The arithmetic is printed only when it gives the piece account's own cellmates within this share (assumption:
# 3 %: on the library lines it agrees within 0.08 % in evaluate and 2.0 % in a one-day simulate, whose few thousand
# cells' draw scatters, while the whole-cell-scrapped pieces wrongly left in E were 3.6 % off at a 1080 C cathode
# firing); a route whose rejects are not one bad layer per cell gets the measured figure alone rather than
# arithmetic that does not add up
ARITHMETIC_AGREEMENT = 0.03

# What each scrap cause means, in a few words (the cause names of twin.sheet_batch.SCRAP_CAUSES)
CAUSE_MEANING = {
    "defect": "killer defects, pinholes or particles, in the layer",
    "low_density": "electrolyte below its density spec",
    "li_loss": "Li lost in firing beyond the spec",
    "high_electrolyte_asr": "electrolyte ASR above its spec",
    "low_conductivity": "electrolyte conductivity below its spec",
    "high_interface_asr": "Li/electrolyte interface ASR above the check's spec",
    "thickness_out_of_tolerance": "electrolyte thickness outside the tolerance",
    "low_cathode_density": "cathode density below its spec",
    "low_areal_capacity": "cathode areal capacity below its spec",
    "false_reject": "good sheets a check rejected by mistake",
    "low_ccd": "critical current density below its spec",
    "interrupted_firing": "loads whose firing a furnace stop interrupted",
    "cracked": "cracked in firing or handling",
    "incomplete_calcination": "powder calcined incompletely",
    "camber": "camber (warp) beyond the flatness spec",
    "delamination": "layers delaminated",
    "self_discharge": "self-discharge above the ageing screen's limit",
    "incomplete_synthesis": "powder synthesised incompletely",
    "pinhole_short": "pinhole shorts the ageing screen caught",
    "latent_defect": "sized defects a check found",
    "batpac_fixed_yield": "BatPaC's fixed process yield",
    "low_capacity": "cells graded out below the capacity grade",
}


def _share(fraction: float) -> str:
    # three figures: 13.3 %, 1.64 %, 0.583 % (the shares are of ~3000 sheets' pieces: a fourth means nothing)
    return f"{plain(fraction * 100.0)} %"


def _entering_share(piece_yields: dict, step: str) -> float | None:
    """Share of the pieces started that reach ``step``: the product of the piece yields before it."""
    if step not in piece_yields:
        return None
    entering = 1.0
    for name, kept in piece_yields.items():
        if name == step:
            return entering
        entering *= kept
    return None


def cellmate_arithmetic(bad: float, entering: float, layers: int) -> dict | None:
    """The cellmates a rejecting step makes, from its bad layers ``bad`` and the pieces ``entering`` it (both
    shares of the pieces started) and ``layers`` per cell: {bad_layer_share p, cells_rejected c, cellmates}
    (module docstring); None when nothing enters or nothing is bad."""
    if entering <= 0.0 or bad <= 0.0 or layers < 1:
        return None
    bad_layer_share = min(bad / entering, 1.0)
    cells_rejected = 1.0 - (1.0 - bad_layer_share) ** layers
    return {"bad_layer_share": bad_layer_share, "cells_rejected": cells_rejected,
            "cellmates": max(cells_rejected * entering - bad, 0.0)}


def _cellmate_clause(step: str, fraction: float, shares: list[dict], piece_yields: dict,
                     layers: int | None) -> str:
    said = f"{step} {_share(fraction)} as cellmates (good layers stacked in a cell with a layer it rejected"
    bad = math.fsum(entry["fraction"] for entry in shares if entry["step"] == step
                    and entry["cause"] != CELLMATE_CAUSE and entry["cause"] not in WHOLE_CELL_CAUSES)
    entering = _entering_share(piece_yields, step)
    if entering is not None:   # pieces scrapped there as whole cells stack with no rejected layer: not in E
        entering -= math.fsum(entry["fraction"] for entry in shares if entry["step"] == step
                              and entry["cause"] in WHOLE_CELL_CAUSES)
    numbers = cellmate_arithmetic(bad, entering, layers) if layers and entering is not None else None
    if numbers is None or abs(numbers["cellmates"] - fraction) > ARITHMETIC_AGREEMENT * fraction:
        return said + ")"
    p, c = numbers["bad_layer_share"], numbers["cells_rejected"]
    whole = "" if entering >= _entering_share(piece_yields, step) else " in cells it did not scrap whole"
    return (said + f": a cell stacks {layers} layers and {_share(p)} of the layers reaching {step}{whole} are bad, so "
            f"1 - (1 - {p:.3g})^{layers} = {_share(c)} of its cells are rejected, {_share(c * entering)} of the "
            f"pieces started: {_share(bad)} bad layers and {_share(numbers['cellmates'])} good cellmates)")


def largest_losses_sentence(result: dict, layers_per_cell: int | None = None) -> str | None:
    """One sentence naming every scrap share above :data:`LOSS_WORTH_SAYING` of the pieces started, largest
    first, with what its cause means (cellmates with their arithmetic when ``layers_per_cell`` is given);
    None when no share is that large or no good cell was made (the no-output reason then lists the shares)."""
    yields = result.get("yield") or {}
    shares = yields.get("scrap_shares") or []
    if result.get("undefined_reason"):
        return None
    large = [entry for entry in shares if entry.get("fraction", 0.0) > LOSS_WORTH_SAYING]
    if not large:
        return None
    piece_yields = yields.get("piece_yield_by_step") or {}
    clauses = []
    for entry in large:
        step, cause, fraction = entry["step"], entry["cause"], entry["fraction"]
        if cause == CELLMATE_CAUSE:
            clauses.append(_cellmate_clause(step, fraction, shares, piece_yields, layers_per_cell))
        else:
            meaning = CAUSE_MEANING.get(cause)
            clauses.append(f"{step} {_share(fraction)} {cause}" + (f" ({meaning})" if meaning else ""))
    return (f"Largest losses (each above {LOSS_WORTH_SAYING * 100:g} % of the pieces started): "
            + "; ".join(clauses) + ".")


__all__ = ["ARITHMETIC_AGREEMENT", "CAUSE_MEANING", "LOSS_WORTH_SAYING", "WHOLE_CELL_CAUSES", "cellmate_arithmetic",
           "largest_losses_sentence"]
