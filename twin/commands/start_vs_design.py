"""The optimiser's design beside the scenario it started from, and what was minimised.

A user who ran ``evaluate`` on pilot_line (6,494.5 USD/kWh at 0.002333 GWh/yr) and then ``optimise`` (7,313.6 at
0.002015) read the design as 12.6 % worse, though it costs less a year (14.7 vs 15.2 M USD): min_cost minimises
the cost per kWh at the plant's target output, the annual cost over the target, so a line that makes more than
the target gets no credit for the surplus. The table puts both lines' figures on both bases.

"At the target" has one meaning in every table and sentence of optimise, the one its choices are made on
(twin.optimise.target_cost): the line as sized, owned and staffed whole, making only the target's cells, so
fixed cost / min(own output, target) + flow cost / own output. (The annual cost over the target, which this table
once printed, charged the flow cost of the surplus cells to the target too: 670.1 against the 665.6 the
inspection trials chose on, for oxide_baseline's design.)
"""

from __future__ import annotations

from twin.figures import plain
from twin.no_output import figure

# What each objective minimises or maximises, in a planner's words (twin.optimise objectives)
OBJECTIVE_MEANING = {
    "min_cost": "Minimised (min_cost): the cost per kWh at the plant target (plant.target_output_GWh_per_year): the "
                "line as sized, its machines owned and staffed whole, making only the target's cells, so output "
                "above the target earns no credit",
    "max_output": "Maximised (max_output): the GWh per year within optimisation.capex_budget_usd",
    "pareto_output": "Traced (pareto_output): the cost at the target against the output",
    "pareto_quality": "Traced (pareto_quality): the cost at the target against the quality margin",
}


def line_figures(result: dict, usd_per_kwh_at_target: float | None = None) -> dict:
    """USD/kWh at the line's own output, annual cost [USD/yr], USD/kWh at the target and GWh/yr of a result
    with the shared keys (evaluate of the start, or of the design); None where undefined. The cost at the target
    is the result's ``cost_at_target`` (the optimiser's design) or ``usd_per_kwh_at_target`` (the start, priced
    by twin.optimise.target_cost.cost_at_target)."""
    cost = result.get("cost") or {}
    throughput = result.get("throughput") or {}
    at_target = (result.get("cost_at_target") or {}).get("usd_per_kwh", usd_per_kwh_at_target)
    return {"usd_per_kwh": cost.get("usd_per_kwh"), "annual_usd": cost.get("total_usd_per_year"),
            "usd_per_kwh_at_target": at_target, "gwh_per_year": throughput.get("gwh_per_year"),
            "target_gwh_per_year": throughput.get("target_gwh_per_year"),
            "relative_error": _relative_error(result)}


def _relative_error(result: dict) -> float | None:
    """The 95 % half-width of evaluate's USD/kWh over the figure (its sampling error), the larger side; None
    without one."""
    interval = (result.get("sampling_error") or {}).get("usd_per_kwh") or {}
    value, low, high = (interval.get(key) for key in ("value", "ci95_low", "ci95_high"))
    if not value or low is None or high is None:
        return None
    return max(value - low, high - value) / value


def _change(start, design) -> str:
    if start is None or design is None or start == 0:
        return ""
    return f"{(design / start - 1.0) * 100.0:+.1f} %"


def comparison_rows(start: dict, design: dict) -> list[tuple[str, str, str, str]]:
    """(figure, start, design, change) rows of the two lines' :func:`line_figures`."""
    def usd(value):   # as evaluate prints its USD per kWh (one format for the figure users compare)
        return figure(value, ",.1f")

    def musd(value):
        return plain(value / 1e6, 3) if value is not None else "n/a"

    rows = [("USD per kWh at its own output", usd(start["usd_per_kwh"]), usd(design["usd_per_kwh"]),
             _change(start["usd_per_kwh"], design["usd_per_kwh"])),
            ("annual cost, USD M per year", musd(start["annual_usd"]), musd(design["annual_usd"]),
             _change(start["annual_usd"], design["annual_usd"])),
            ("USD per kWh at the target", usd(start["usd_per_kwh_at_target"]), usd(design["usd_per_kwh_at_target"]),
             _change(start["usd_per_kwh_at_target"], design["usd_per_kwh_at_target"])),
            ("GWh per year", figure(start["gwh_per_year"], ".4g"), figure(design["gwh_per_year"], ".4g"),
             _change(start["gwh_per_year"], design["gwh_per_year"]))]
    return rows


def start_vs_design_sentence(start: dict, design: dict, objective: str) -> str:
    """What was minimised, and why the design can read dearer per kWh at its own output than the start."""
    sentence = OBJECTIVE_MEANING.get(objective, f"Objective {objective}") + "."
    own_s, own_d = start["usd_per_kwh"], design["usd_per_kwh"]
    at_s, at_d = start["usd_per_kwh_at_target"], design["usd_per_kwh_at_target"]
    if None in (own_s, own_d, at_s, at_d):
        return sentence
    if own_d > own_s and at_d <= at_s:
        sentence += (f" The design reads {_change(own_s, own_d)} per kWh at its own output only because the start "
                     f"makes {figure(start['gwh_per_year'], '.4g')} GWh/yr, more than the target of "
                     f"{figure(start['target_gwh_per_year'], '.4g')}: at the target the design costs "
                     f"{(1.0 - at_d / at_s) * 100.0:.1f} % less per kWh ({plain(design['annual_usd'] / 1e6, 3)} vs "
                     f"{plain(start['annual_usd'] / 1e6, 3)} M USD a year).")
    elif objective == "min_cost" and at_d > at_s:
        # the MILP sized the line on its own linear estimates; evaluate of the design is the judge: a design no
        # cheaper than the start at the target is said so, not left for the reader to find in the table
        errors = [error for error in (start["relative_error"], design["relative_error"]) if error is not None]
        within = bool(errors) and at_d / at_s - 1.0 <= max(errors)
        sentence += (f" The design is not cheaper than the start at the target: {figure(at_d, ',.1f')} against "
                     f"{figure(at_s, ',.1f')} USD/kWh ({_change(at_s, at_d)})")
        if within:
            sentence += (f", within evaluate's sampling error (+-{max(errors) * 100.0:.1f} %): the two are tied, "
                         "so the starting scenario is as good a line as the optimiser found.")
        else:
            sentence += (", beyond evaluate's sampling error: the optimiser's estimates missed what evaluate "
                         "measures on its design; keep the starting scenario.")
    return sentence


def print_start_vs_design(start_result: dict, design_result: dict, objective: str,
                          start_at_target: float | None = None) -> None:
    """The table of :func:`comparison_rows` and the sentence of :func:`start_vs_design_sentence`
    (``start_at_target``: the start's USD/kWh at the target, twin.optimise.target_cost)."""
    from rich.table import Table

    from twin.cli import stdout_console

    start, design = line_figures(start_result, start_at_target), line_figures(design_result)
    table = Table(title="the design against the starting scenario (evaluate of each)")
    table.add_column("figure", no_wrap=True)
    for column in ("start", "design", "change"):
        table.add_column(column, justify="right", no_wrap=True)
    for row in comparison_rows(start, design):
        table.add_row(*row)
    stdout_console.print(table)
    stdout_console.print(start_vs_design_sentence(start, design, objective), style="bold yellow", markup=False,
                         highlight=False, soft_wrap=True)


__all__ = ["OBJECTIVE_MEANING", "comparison_rows", "line_figures", "print_start_vs_design",
           "start_vs_design_sentence"]
