"""What ``ssb-twin optimise`` prints: the design's summary, its recipe, quality, line, cost, binding limits and
Pareto front, as rich tables under the figures (the command itself is twin.commands.optimise)."""

from __future__ import annotations

import math

from twin.commands.design_paths import recipe_set_path
from twin.commands.optimise_wording import (
    QUALITY_CAPTION,
    candidates_row,
    choice_words,
    gap_words,
    margin_words,
    sheet_yield_words,
    solves_words,
    spec_row,
)
from twin.figures import plain

# Significant figures a recipe value is printed to: set points are given to 3 figures on a furnace or press
# controller (assumption: engineering precision; the JSON keeps the exact value)
RECIPE_FIGURES = 3


def recipe_value(value) -> str:
    """A recipe value at engineering precision: 29.3333 -> "29.3", 1100.0 -> "1100", 0.05 -> "0.05"."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else "n/a"
    decimals = max(0, RECIPE_FIGURES - 1 - math.floor(math.log10(abs(value))))
    text = f"{round(value, decimals):.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def print_result(result: dict, scenario, apply_command: str | None = None) -> None:
    from rich.table import Table

    from twin.cli import stdout_console
    from twin.commands.formats import PLANT_ROW_LABEL, category_table, percent, plant_usd_per_kwh, time_share
    from twin.commands.output_notes import print_output_notes
    from twin.no_output import counted, figure
    from twin.piece_yield import sheet_steps

    if result["status"] != "optimal":
        stdout_console.print(f"[bold red]{result['scenario']}: no design ({result['termination']})[/]")
        for finding in result.get("infeasibility", []):
            stdout_console.print(
                f"  infeasible because of {finding['constraint_group']}: {finding['detail']}", markup=False
            )
        if not result.get("infeasibility"):
            stdout_console.print(
                "  no single constraint group explains it; several limits conflict", markup=False
            )
        return
    cost, timing, milp = result["cost"], result["timing_s"], result["milp"]
    trust = result.get("recheck_verdict", {"trustworthy": True})
    title = "optimal design" if trust["trustworthy"] else "design NOT TRUSTWORTHY (re-check OUTSIDE)"
    summary = Table(title=f"{result['scenario']}: {title} ({result['objective']})", show_header=False)
    summary.add_column("figure", overflow="fold")   # a joint group's name has no space to wrap at
    summary.add_column("value", justify="right")
    pattern = result["design"]["shift_pattern"]
    gap = result["milp_gap"]
    rows = [
        # USD/kWh as evaluate prints it (7,313.6, not 7,313.59: its sampling error is ~1 %)
        ("USD per kWh (evaluate of the design)", figure(cost["usd_per_kwh"], ",.1f")),
        ("GWh per year", figure(result["throughput"]["gwh_per_year"], ".4g")),
        ("good cells per calendar day", figure(result["throughput"]["good_cells_per_day"], ",.0f")),
        # evaluate's yield next to the MILP's (its candidates' own good pieces per sheet, at the inspection the
        # design finally uses): the physics re-check below says whether they agree within the sampling error
        ("overall yield (evaluate of the design)",
         f"{percent(result['yield']['overall'])} "
         f"(MILP {percent(milp['overall_yield_chosen_inspection'])})"),
        # alone: the MILP's milp.cell_piece_yield is its good pieces per sheet over cells per sheet, another
        # basis under the same name (83 % against evaluate's 96 % on oxide_baseline), so not printed beside it
        ("cell piece yield (finished sheets, evaluate of the design)",
         percent(result["yield"].get("cell_piece_yield"))),
        ("bottleneck", result["bottleneck"]),
        ("capex, USD M", figure(cost["capex_usd"] / 1e6, ",.1f")),
        (
            "MILP estimate (its maximum)" if result.get("objective") == "max_output"
            else "MILP estimate (at the target)",
            f"{figure(milp['usd_per_kwh'], ',.1f')} USD/kWh at {figure(milp['gwh_per_year'], '.4g')} GWh/yr; "
            + gap_words(gap, at_target=result.get("objective") != "max_output"),
        ),
        (
            "shift pattern",
            f"{pattern['shifts_per_day']} x {pattern['hours_per_shift']:g} h, "
            f"{pattern['days_per_week']} d/wk",
        ),
        ("solver status", result["termination"]),
        # wall-clock times vary run to run by tens of % on a shared machine: two figures say all they can
        ("candidate evaluation, s", plain(timing["candidate_evaluation"], 2)),
        ("model build, s", plain(timing["model_build"], 2)),
        ("solve, s", plain(timing["solve"], 2)),
    ]
    choices = result.get("recipe_choice") or {}
    for name, counts in result["candidates"].items():
        # kept, tied with a kept one, beaten (twin.optimise.recipe_choice); the sentences below say which and why
        rows.append((f"candidates {name}", candidates_row(choices[name]) if name in choices
                     else f"{counts['generated']} swept, {counts['after_pruning']} kept"))
    recheck = result["physics_recheck"]
    for label, key, fmt in (("overall yield", "overall_yield", ".2%"),
                            ("Wh per sheet started", "wh_per_sheet_started", ".4g")):
        compared = recheck[key]
        verdict = ("no sampling error to compare with" if compared["tolerance"] is None else
                   ("within" if compared["within"] else "OUTSIDE") + f" +-{figure(compared['tolerance'], fmt)}")
        rows.append((f"re-check, {label}: MILP vs evaluate",
                     f"{figure(compared['milp'], fmt)} vs {figure(compared['evaluate'], fmt)} ({verdict})"))
    line = result.get("design_line_yields") or {}
    if line.get("solves"):
        # each solve after the first on evaluate's yields of the line the one before designed (line_basis)
        rows.append(("MILP solves, re-based on evaluate", solves_words(line)))
    # sheets kept whole by the candidate sample re-run with the design's recipes, with its 95 % interval; evaluate's
    # whole-sheet yield of the design (its larger sample) inside it or not, and the MILP's
    rerun, against = sheet_yield_words(recheck["sheets"])
    rows.append(("sheets kept whole, candidate sample re-run (95% interval)", rerun))
    rows.append(("  the same in evaluate of the design; MILP", against))
    twin = result.get("twin_check", {})
    if twin.get("rounds"):
        last = twin["rounds"][-1]
        rows.append(
            (
                "twin check",
                f"{twin['status']}: twin {figure(last['gwh_per_year'], '.4g')} GWh/yr vs optimiser "
                f"{figure(last['optimiser_gwh_per_year'], '.4g')} ({counted(len(twin['rounds']), 'round')})",
            )
        )
    else:
        rows.append(("twin check", f"{twin.get('status', 'not run')} ({twin.get('reason', '')})"))
    for label, value in rows:
        summary.add_row(label, value)
    stdout_console.print(summary)
    if not trust["trustworthy"]:
        stdout_console.print(f"[bold red]{result['scenario']}: {trust['message']}[/]")
    from twin.optimise.line_basis import agreement_sentence

    loop_sentence = agreement_sentence(line)
    if loop_sentence:
        stdout_console.print(f"{result['scenario']}: {loop_sentence}.", markup=False, highlight=False)
    calendar = result.get("shift_calendar_yields", {})
    if calendar and not calendar.get("consistent", True):
        stdout_console.print("[bold red]the candidates' yields were not evaluated on the shift calendar the "
                             "design runs[/]")
    print_output_notes(result)
    for n, (group, account) in enumerate(choices.items()):
        stdout_console.print(choice_words(group, account, result["objective"], say_counts=n == 0), markup=False,
                             highlight=False)

    # each field as the scenario path a user types (ssb-twin evaluate FILE --set PATH=VALUE), value exact
    recipes = Table(title="chosen recipe (apply with --set PATH=VALUE)")
    recipes.add_column("--set path", justify="left", no_wrap=True)
    recipes.add_column("value", justify="right", overflow="fold")
    for recipe in result["design"]["recipes"].values():
        for field, value in recipe.items():
            # three significant figures to read; the exact value is in the command below, the JSON and
            # --write-scenario
            recipes.add_row(recipe_set_path(scenario, field), recipe_value(value))
    stdout_console.print(recipes)
    print_quality(result)
    if apply_command:
        stdout_console.print(f"The whole design (recipes, machines, sizes, shifts, inspection) on the scenario "
                             f"read: {apply_command}", markup=False, highlight=False, soft_wrap=True)

    stations = Table(title="line (yield: good cell pieces kept by the step, as evaluate; sheets: sheet yield, "
                           "blank after cutting; mach.: machines; util.: utilization)")
    with_sheets = sheet_steps(scenario)
    sizes = result["design"].get("sizes", {})   # in each station's size axis (sizes.axis of the written scenario)
    # yield: in good cell pieces, as evaluate's by-step table (twin.piece_yield); sheets: the sheet yield
    piece_yields = result["yield"].get("piece_yield_by_step") or {}
    # the station names stay whole in an 80-column terminal
    stations.add_column("station", justify="left", no_wrap=True,
                        min_width=max((len(name) for name in result["design"]["machines"]), default=7))
    for column in ("mach.", "size", "yield", "sheets", "util.", "USD/kWh"):
        stations.add_column(column, justify="right", no_wrap=True)
    for name, machines in result["design"]["machines"].items():
        stations.add_row(
            name,
            str(machines),
            f"{sizes[name]:g}" if name in sizes else "",
            percent(piece_yields.get(name)),
            percent(result["yield"]["sheet_yield_by_step"][name]) if name in with_sheets else "",
            time_share(result["utilization"][name]),
            figure(cost["by_step"][name], ",.1f"),
        )
    plant = plant_usd_per_kwh(cost["by_step"], result["design"]["machines"])
    if plant is not None:   # the shared plant items, as evaluate's by-step table: the column sums to the total
        stations.add_row(PLANT_ROW_LABEL, "", "", "", "", "", figure(plant, ",.1f"))
    stdout_console.print(stations)
    from twin.commands.evaluate import cost_relative_error
    from twin.commands.optimise_inspection import inspection_table, overshoot_notes, tie_notes

    trials = inspection_table(result["design"], stdout_console.width)
    if trials is not None:
        stdout_console.print(trials)
        for note in overshoot_notes(result["design"]) + tie_notes(result["design"], cost_relative_error(result)):
            stdout_console.print(note)

    stdout_console.print(category_table(cost["by_category"], "cost by category (evaluate of the design)"))

    binding = Table(title="binding limits (LP duals with integers fixed)")
    for column in ("constraint", "value", "shadow price"):
        binding.add_column(column, justify="left" if column == "constraint" else "right")
    for name, entry in result["binding_constraints"].items():
        price = entry["shadow_price"]
        unit = next((u for prefix, u in BINDING_UNITS.items() if name.startswith(prefix)), "")
        if price is None:
            text = "n/a"
        elif name == "output_target":  # usd/yr per GWh/yr = 1e-6 usd per marginal kWh
            text = f"{plain(price / 1e6, 4)} USD per extra kWh"   # a dual of a sampled cost: four figures
        elif name.startswith("capacity"):
            text = f"{price:,.4g} USD/yr per machine-hour"
        elif name == "capex_budget":
            text = f"{price:,.4g} USD/yr per USD of budget"
        elif name == "energy_cap":
            text = f"{price:,.4g} USD/yr per MWh/yr"
        else:
            text = f"{price:,.4g} USD/yr per m2"
        if name == "output_target" and result.get("objective") == "max_output":
            # the lexicographic second stage holds the output at the maximum found and prices it: the dual is
            # the cost of output beyond what the budget allows, not of a target the user set
            name = "output (held at the maximum)"
        binding.add_row(name, f"{figure(entry['value'], '.4g')} {unit}".rstrip(), text)
    stdout_console.print(binding)

    if result.get("pareto"):
        # margin: the worst 1 % sheet of the chosen recipes against its nearest spec (candidate sample), the
        # figure optimisation.min_quality_margin holds (twin.optimise.quality_margins)
        front = Table(title="Pareto front", caption="margin: the worst 1 % sheet of the chosen recipes against "
                      "its nearest spec (the MILP's candidate sample), in % of the limit")
        by_output = "target_output_GWh_per_year" in result["pareto"][0]
        key = "target_output_GWh_per_year" if by_output else "required_quality_margin"
        for column in ("target GWh/yr" if by_output else "required margin", "status", "GWh/yr", "USD/kWh",
                       "capex USD M", "margin"):
            front.add_column(column, justify="right")
        for point in result["pareto"]:
            asked = figure(point[key], ".4g" if by_output else "+.1%")
            if point["status"] != "optimal":
                front.add_row(asked, point["status"], "", "", "", "")
                continue
            front.add_row(
                asked,
                "optimal",
                figure(point["output_GWh_per_year"], ".4g"),
                figure(point["usd_per_kwh"], ",.1f"),
                figure(point["capex_usd"] / 1e6 if point["capex_usd"] is not None else None, ",.1f"),
                figure(point["quality_margin"], "+.1%"),
            )
        stdout_console.print(front)


def print_quality(result: dict) -> None:
    """Every check's specs as evaluate of the design measured them, per sheet (twin.quality_checkpoints), and
    under the table the tightest spec of each chosen recipe by the sheets it puts out of spec."""
    from rich.table import Table

    from twin.cli import stdout_console

    checks = {check: [(key, entry) for key, entry in block.items() if key != "inspection"]
              for check, block in (result.get("quality_at_check") or {}).items()}
    if not any(checks.values()):
        return
    tightest = "; ".join(margin_words(group, quality) for group, quality in result["recipe_quality"].items())
    table = Table(title="quality at the checks (evaluate of the design, per sheet)",
                  caption="worst 1%: the p1 sheet of a minimum, the p99 of a maximum; margin: its distance inside "
                          "the limit, in % of the limit; out: sheets out of spec (found or escaping). "
                          f"{QUALITY_CAPTION}: {tightest}")
    table.add_column("check / measured", overflow="fold")
    for column in ("limit", "worst 1%", "margin", "out"):
        table.add_column(column, justify="right", no_wrap=True)
    for check, specs in checks.items():
        if not specs:
            continue
        table.add_row(check, "", "", "", "")
        for key, entry in specs:
            name, *figures = spec_row({"key": key, **entry})
            table.add_row(f"  {name}", *figures)
    stdout_console.print(table)


# The unit of each binding limit's value (twin.optimise.model's constraint names, by prefix)
BINDING_UNITS = {"output_target": "GWh/yr", "capacity": "machine-h/yr", "capex_budget": "USD",
                 "energy_cap": "MWh/yr", "floor_area": "m2"}
