"""When a line makes no good cells: which cause scrapped what share of the sheets, at which step.

Figures per kWh, per cell or per m2 of good output have no value when nothing good comes out. Results
then carry ``None`` for them (JSON null) and ``undefined_reason``, a sentence built from the per-sheet
scrap bookkeeping (``SheetBatch.scrap_step`` / ``scrap_cause`` in ``evaluate``, the stations' counts by
cause in ``simulate``), e.g. "no good cells: 100.0 % of sheets scrapped for li_loss at
electrolyte_inspection". Commands and the report print that sentence instead of a number.
"""

from __future__ import annotations

import math

import numpy as np

# Result entries that are a cost or an energy per unit of good output (undefined at zero output).
PER_OUTPUT_COST_KEYS = ("usd_per_kwh", "usd_per_m2", "usd_per_cell")
PER_OUTPUT_COST_TABLES = ("by_step", "by_category", "by_step_category_usd_per_kwh", "scrap_value_usd_per_kwh")


def _percent(fraction: float) -> str:
    """A share as a percentage with two significant figures below 10 % (0.03 %, not 0.0 %)."""
    percent = fraction * 100.0
    return f"{percent:.1f}%" if percent >= 10.0 or percent == 0.0 else f"{percent:.2g}%"


# Losses that are not whole sheets (twin.piece_yield): counted in cell pieces, shown as sheet-equivalents
PIECE_LOSS_SENTENCES = {
    "cellmate_of_rejected_piece": "lost as cellmates of pieces rejected at {step}",
}


def scrap_shares(counts: dict[str, dict[str, float]], started: float, *, in_pieces: bool = False) -> list[dict]:
    """[{step, cause, fraction, sentence}] of started sheets scrapped per (step, cause), largest first.

    ``counts`` and ``started`` in sheets, or (``in_pieces``) both in cell pieces (twin.piece_yield): the
    fraction is then a share of the pieces started (sheet-equivalents), and the sentence says so."""
    shares = []
    if started <= 0:
        return shares
    for step, by_cause in counts.items():
        for cause, count in by_cause.items():
            if count > 0:
                fraction = float(count) / started
                template = PIECE_LOSS_SENTENCES.get(cause)
                if not in_pieces and template is not None:
                    # simulate counts cellmates in sheet-equivalents: no sheet was scrapped for them
                    sentence = (f"{_percent(fraction)} of sheets started (sheet-equivalents) "
                                + template.format(step=step))
                elif not in_pieces:
                    sentence = f"{_percent(fraction)} of sheets scrapped for {cause} at {step}"
                elif template is None:
                    # whole sheets and single pieces of one cause together (twin.piece_yield)
                    sentence = f"{_percent(fraction)} of pieces started lost to {cause} at {step}"
                else:
                    sentence = f"{_percent(fraction)} of pieces started " + template.format(step=step)
                shares.append({"step": step, "cause": cause, "fraction": fraction, "sentence": sentence})
    shares.sort(key=lambda entry: -entry["fraction"])
    return shares


def batch_scrap_counts(route_names: list[str], scrap_step: np.ndarray, scrap_cause: np.ndarray,
                       causes: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """{step: {cause: sheets}} from per-sheet scrap bookkeeping (route index and cause index, -1 alive)."""
    scrapped = scrap_step >= 0
    pairs = scrap_step[scrapped] * len(causes) + scrap_cause[scrapped]
    table = np.bincount(pairs, minlength=len(route_names) * len(causes)).reshape(len(route_names), len(causes))
    return {name: {cause: int(table[i, j]) for j, cause in enumerate(causes) if table[i, j]}
            for i, name in enumerate(route_names)}


def no_output_reason(shares: list[dict], *, good_cells: float, lost_pieces_note: bool = False) -> str | None:
    """The sentence explaining zero good output (None when there is output)."""
    if good_cells > 0:
        return None
    if not shares:
        if lost_pieces_note:
            return "no good cells: killer defects took every cell piece of the sheets that passed"
        return "no good cells: no sheet finished the route in the measured time"
    return "no good cells: " + "; ".join(entry["sentence"] for entry in shares)


def mark_undefined(result: dict, reason: str | None) -> dict:
    """Replace per-output figures by None and record ``undefined_reason`` (in place; returned)."""
    result["undefined_reason"] = reason
    if reason is None:
        return result
    cost = result.get("cost")
    if isinstance(cost, dict):
        for key in PER_OUTPUT_COST_KEYS:
            if key in cost:
                cost[key] = None
        for key in PER_OUTPUT_COST_TABLES:
            if isinstance(cost.get(key), dict):
                cost[key] = _nulls(cost[key])
        cost["undefined_reason"] = reason
    if "energy_kwh_per_kwh" in result:
        result["energy_kwh_per_kwh"] = None
    return result


def _nulls(table: dict) -> dict:
    return {k: (_nulls(v) if isinstance(v, dict) else None) for k, v in table.items()}


def figure(value, fmt: str, undefined: str = "n/a") -> str:
    """Format a number for a person: ``undefined`` instead of None, inf or NaN (never print inf/nan)."""
    if value is None:
        return undefined
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(number):
        return undefined
    return format(number, fmt)


def counted(number: float, noun: str, plural: str | None = None) -> str:
    """``number`` and ``noun``, the noun singular for exactly 1 ("1 day", "2 days", "0.5 days")."""
    return f"{number:g} {noun if number == 1 else (plural or noun + 's')}"


__all__ = ["PER_OUTPUT_COST_KEYS", "batch_scrap_counts", "counted", "figure", "mark_undefined", "no_output_reason",
           "scrap_shares"]
