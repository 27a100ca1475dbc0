"""Sentences every command prints under its figures: a missed target or design, escapes, and why there is no output.

Shared by ``evaluate``, ``simulate``, ``optimise`` and ``report`` so the wording is one (not a command).
"""

from __future__ import annotations

from twin.capacity_grading import grading_sentence
from twin.credit_sentences import credit_sentence
from twin.escape_sources import escape_attribution_sentence, escape_sources_sentence, fewer_escapes_sentence
from twin.moisture_loss import moisture_sentence
from twin.plant_gap import calendar_sentence, capacity_sentence
from twin.sampling_error import sampling_error_sentence
from twin.scrap_sentences import largest_losses_sentence
from twin.thin_film_output import thin_film_sentence
from twin.through_defect_output import through_defect_block, through_defect_sentence


def output_notes(result: dict, scenario=None) -> list[str]:
    """The sentences for ``result`` (shared result keys): target shortfall, then the zero-output reason.

    ``scenario`` (optional): the scenario ``result`` came from; with it the calendar sentence speaks of air
    exposure only where the route has an exposure window (twin.sheet_exposure).
    """
    shortfall = (result.get("throughput") or {}).get("target_shortfall") or {}
    cell = result.get("cell") or {}
    escapes = _escape_sentence(result)
    yields = result.get("yield") or {}
    per_day = (result.get("throughput") or {}).get("escaped_cells_per_day")
    reason = result.get("undefined_reason")
    candidates = [
        f"Target missed: {shortfall['message']}." if shortfall.get("short") else None,
        # the largest scrap causes, cellmates with their arithmetic (twin.scrap_sentences)
        largest_losses_sentence(result, _layers_per_cell(scenario)),
        # evaluate: capacity before flow losses; simulate: the calendar stops its window held (twin.plant_gap)
        capacity_sentence(result),
        calendar_sentence(result, _air_exposed(scenario)),
        cell.get("capacity_shortfall"),
        cell.get("capacity_above_design"),   # delivered above the design: which of its figures disagree
        # a capacity grading's tester whenever the route grades, what it scrapped only where it scrapped
        grading_sentence(result, _grading_testers(scenario)),
        cell.get("charge_limit"),            # the rated charge above the cells' CCD
        cell.get("layer_thickness_note"),    # a layer made off its design
        thin_film_sentence(cell.get("thin_film")),
        escapes,
        # every escaped cell by its source, then the largest one's lever (evaluate's sample; twin.escape_sources)
        escape_attribution_sentence(yields.get("escape_attribution"), per_day) if escapes else None,
        fewer_escapes_sentence(yields.get("escape_attribution"), yields.get("escape_sources"), per_day)
        if escapes else None,
        # where the escapes come from and what they are priced at: only under an escape figure
        escape_sources_sentence(yields.get("escape_sources")) if escapes else None,
        _escape_price_sentence(result) if escapes else None,
        sampling_error_sentence(result.get("sampling_error")),
        # a sulphide's conductivity lost to the zone air's moisture, where it scrapped sheets (twin.moisture_loss)
        moisture_sentence((result.get("yield") or {}).get("moisture_loss")),
        # a separator off its defect density's reference thickness: its killer defects moved
        # (twin.through_defect_output;
        # evaluate's result carries the block, simulate's is worked out from the scenario)
        through_defect_sentence((result.get("yield") or {}).get("through_defects")
                                or (through_defect_block(scenario) if scenario is not None else None)),
        f"Per-kWh, per-cell and per-m2 figures are undefined: {reason}." if reason else None,
        credit_sentence(result),             # a step's negative materials: the recycling credit (twin.credit_sentences)
    ]
    return [note for note in candidates if note]


def _grading_testers(scenario) -> dict | None:
    """{check: tester figures} of the route's capacity gradings, for a result without the checks' summaries
    (simulate's): its tester sentence prints whenever the route grades capacity."""
    if scenario is None:
        return None
    from twin.capacity_grading import grading_checks
    from twin.grading_tester import tester_figures

    return {step.name: tester_figures(scenario, step) for step in grading_checks(scenario)}


def _layers_per_cell(scenario) -> int | None:
    return None if scenario is None else scenario.cell.format.layers_per_cell


def _air_exposed(scenario) -> bool:
    """Whether the route has steps in which the electrolyte's open face meets the air (True if unknown)."""
    if scenario is None:
        return True
    from twin.sheet_exposure import exposure_window

    start, stop = exposure_window(scenario)
    return start < stop


def _escape_sentence(result: dict) -> str | None:
    """Bad cells shipped because an inspection missed them, and what they cost per kWh; None if none."""
    rate = (result.get("yield") or {}).get("escape_rate")
    if not rate:
        return None
    per_day = (result.get("throughput") or {}).get("escaped_cells_per_day")
    cost = ((result.get("cost") or {}).get("by_category") or {}).get("escapes")
    sentence = f"Escapes: {rate * 1e6:,.0f} bad cells shipped per million good cells"
    if per_day is not None:
        sentence += f" ({per_day:,.1f} per day)"
    if cost is not None:
        sentence += f", costing {cost:,.2f} USD/kWh"
    if (result.get("yield") or {}).get("escape_attribution"):
        # evaluate books every escaped cell to its source in the next sentence: saying the split here too
        # repeated it (twin.escape_sources)
        return sentence + "; by source in the next sentence."
    graded = (result.get("yield") or {}).get("capacity_grading_escape_share") or 0.0
    inspection = ("an inspection missed them (detection_probability below 1, or a method's POD at a latent "
                  "defect's size)")
    if graded <= 0.0:
        return sentence + ": " + inspection + "."
    grading = ("capacity grading's measurement scatter passed cells truly below its grade "
               "(measurement_sd_fraction)")
    if graded >= 1.0 - 1e-9:
        return sentence + ": " + grading + "."
    return (sentence + f": {graded * 100:.3g} % of them because {grading}, the rest because {inspection}.")


def _escape_price_sentence(result: dict) -> str | None:
    """A bad cell shipped priced below a good cell's own factory cost: the escape cost is too low to steer."""
    cost = result.get("cost") or {}
    price = cost.get("escape_usd_per_cell")
    per_cell = cost.get("usd_per_cell")
    escapes_per_kwh = (cost.get("by_category") or {}).get("escapes")
    cell_wh = (result.get("throughput") or {}).get("cell_energy_wh")
    if price is None or per_cell is None or escapes_per_kwh is None or not cell_wh:
        return None
    factory = per_cell - escapes_per_kwh * cell_wh / 1000.0   # the cell's cost without the escape claims
    if price >= factory:
        return None
    return (f"Escape price: a bad cell shipped is priced at {price:,.4g} USD (costs.quality.escape_usd_per_cell), "
            f"below the {factory:,.4g} USD a good cell costs to make: a claim costs at least a replacement cell, "
            "so escapes (and finer inspection) weigh too little in the cost.")


def print_output_notes(result: dict, scenario=None) -> None:
    from twin.cli import stdout_console

    for note in output_notes(result, scenario):
        # soft_wrap: one line per sentence, whatever the terminal width (easy to grep and copy)
        stdout_console.print(note, style="bold yellow", markup=False, highlight=False, soft_wrap=True)


__all__ = ["output_notes", "print_output_notes"]
