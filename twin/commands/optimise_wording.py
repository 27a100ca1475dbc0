"""The optimise table's words a planner reads, and its output through a pipe the reader may close.

How evaluate's figures of the design stand to the MILP's estimate, the chosen recipe's specs judged per sheet
(the out-of-spec share and the worst 1 % sheet), the sheet-yield re-run's interval, what became of the recipe
candidates, the MILP's solves (twin.optimise.line_basis), and ``reader_may_close``: a closed stdout
(``ssb-twin optimise FILE | head -30``) keeps the command's own exit status.
"""

from __future__ import annotations

import contextlib
import math

# A relative difference below this reads "the same" (the table prints one decimal of a percent)
SAME_WITHIN = 0.0005
QUALITY_CAPTION = ("tightest spec of each chosen recipe, by the share of sheets out of it (evaluate of the design, "
                   "per sheet, at the checks of the recipe's span)")


def _relative_words(change: float | None, what: str, reference: str = "") -> str:
    """``what`` 1.0% above/below ``reference`` (relative ``change``), "the same" within SAME_WITHIN."""
    if change is None or not math.isfinite(change):
        return f"{what} not comparable"
    if abs(change) < SAME_WITHIN:
        return f"{what} the same"
    return f"{what} {abs(change):.1%} {'above' if change > 0 else 'below'}{reference}"


def gap_words(gap: dict, at_target: bool = True) -> str:
    """How evaluate's figures of the design stand to the MILP's estimate, in words: "evaluate's cost at the target
    is 0.6% above this, its output 1.2% above (at the line's capacity)" (``gap``: evaluate / MILP - 1).

    The MILP prices its line making exactly the target; evaluate's own USD/kWh spreads the line's fixed cost over
    all it makes, so beside the estimate stands evaluate's design at the target as the MILP prices it
    (``usd_per_kwh_at_target``, twin.optimise.target_cost); ``at_target`` False (max_output: the estimate is
    at the MILP's maximum) or a result without it compare the cost at the line's own output."""
    if at_target and gap.get("usd_per_kwh_at_target") is not None:
        cost = _relative_words(gap["usd_per_kwh_at_target"], "evaluate's cost at the target is", " this")
    else:
        cost = _relative_words(gap.get("usd_per_kwh"), "evaluate's cost at its own output is", " this")
    output = _relative_words(gap.get("gwh_per_year"), "its output")
    # evaluate runs the line at its own capacity (whole machines leave room beyond the target), the MILP at the target
    return f"{cost}, {output} (at the line's capacity)"


def _value(value) -> str:
    from twin.no_output import figure

    return figure(value, ".3g")


def margin_words(group: str, quality: dict) -> str:
    """``li_lamination: max_interface_asr_ohm_cm2 at cell_inspection, 7.16% of sheets out, worst 1% 29 vs 20
    (-45% of the limit)``: the spec of the group's checks that puts the most sheets out (twin.optimise.
    design_report.tightest_spec), its out-of-spec share, and the worst 1 % sheet against the limit."""
    from twin.commands.formats import percent
    from twin.no_output import figure

    spec = quality.get("tightest_spec")
    if not spec:
        return f"{group}: no spec measured at its checks"
    text = (f"{group}: {spec['spec']} at {spec['check']}, {percent(spec.get('out_of_spec_fraction'))} of sheets "
            f"out")
    if spec.get("tail_value") is not None:
        text += (f", worst 1% {_value(spec['tail_value'])} vs {_value(spec['limit'])} "
                 f"({figure(spec.get('tail_margin'), '+.1%')} of the limit)")
    return text


# A measured key too long for an 80-column table's first column, as the table shows it (the JSON keeps the key)
SHORT_KEYS = {"electrolyte_thickness_deviation_fraction": "thickness_deviation_fraction"}


def spec_row(spec: dict) -> tuple[str, str, str, str, str]:
    """One spec of the quality table: (measured key, limit, worst 1 % sheet, its margin, out of spec)."""
    from twin.commands.formats import percent
    from twin.no_output import figure

    sense = ">=" if spec.get("sense") == "min" else "<="
    return (SHORT_KEYS.get(spec["key"], spec["key"]), f"{sense} {_value(spec.get('limit'))}",
            _value(spec.get("tail_value")), figure(spec.get("tail_margin"), "+.1%"),
            percent(spec.get("out_of_spec_fraction")))


def sheet_yield_words(sheets: dict) -> tuple[str, str]:
    """The sheet-yield re-run's two rows: its figure with the 95 % interval, and evaluate's and the MILP's
    against it (``physics_recheck.sheets`` with twin.optimise.design_report.sheet_yield_interval's keys)."""
    from twin.commands.formats import percent

    rerun = (f"{percent(sheets.get('sheet_yield_physics'))} of {sheets.get('sheets_started')} "
             f"({percent(sheets.get('sheet_yield_ci95_low'))}-{percent(sheets.get('sheet_yield_ci95_high'))})")
    within = sheets.get("evaluate_within")
    verdict = "inside" if within else "OUTSIDE" if within is not None else "not compared"
    others = (f"evaluate {percent(sheets.get('sheet_yield_evaluate'))} ({verdict}); "
              f"MILP {percent(sheets.get('sheet_yield_milp'))}")
    return rerun, others


def _label(field: str) -> str:
    """A recipe field as read: "li_lamination.lamination_pressure_MPa" -> "lamination_pressure_MPa"."""
    return field.rsplit(".", 1)[-1]


def _recipe_text(recipe: dict) -> str:
    from twin.commands.optimise_tables import recipe_value

    return ", ".join(f"{_label(field)} {recipe_value(value)}" for field, value in recipe.items())


def _tied_values(chosen: dict, ties: list[dict]) -> str:
    """The fields the tied recipes differ in, with every value they take: "lamination_pressure_MPa 7, 8, 9, 10"."""
    from twin.commands.optimise_tables import recipe_value

    parts = []
    for field, value in chosen.items():
        values = sorted({value, *(tie.get(field) for tie in ties)}, key=lambda v: (str(type(v)), v))
        if len(values) > 1:
            parts.append(f"{_label(field)} {', '.join(recipe_value(v) for v in values)}")
    return "; ".join(parts)


OBJECTIVE_WORDS = {"min_cost": "the least cost at the target", "max_output": "the most output within the budget",
                   "pareto_output": "the least cost at the target", "pareto_quality": "the least cost at the target"}


def candidates_row(account: dict) -> str:
    """The table's short row: "10 swept, 1 kept (3 tied with it, 6 beaten)"."""
    parts = [f"{account['tied']} tied", f"{account['beaten']} beaten"]
    if account["below_required_margin"]:
        parts.append(f"{account['below_required_margin']} below the margin")
    return f"{account['swept']} swept, {account['kept']} kept ({', '.join(parts)})"


def choice_words(group: str, account: dict, objective: str, say_counts: bool = True) -> str:
    """What became of a group's candidates and why the chosen one was chosen (twin.optimise.recipe_choice);
    ``say_counts``: name the counts pruning compares (once is enough when several groups are told)."""
    from twin.optimise.recipe_choice import PRUNING_COUNTS

    swept, kept = account["swept"], account["kept"]
    text = f"{group}: of {swept} recipes swept, {kept} kept for the MILP"
    dropped = []
    if account["below_required_margin"]:
        dropped.append(f"{account['below_required_margin']} below the required worst-1% margin "
                       f"({account['required_margin']:+.1%})")
    if account["beaten"]:
        dropped.append(f"{account['beaten']} beaten by a kept one")
    if account["tied"]:
        dropped.append(f"{account['tied']} equal to a kept one (one of equals is kept)")
    if dropped:
        text += "; dropped: " + ", ".join(dropped)
    text += f" (compared {PRUNING_COUNTS}). " if say_counts and (swept > kept) else ". "
    chosen = _recipe_text(account["chosen_recipe"])
    why = ("the only one kept" if kept == 1
           else f"for {OBJECTIVE_WORDS.get(objective, 'its objective')} among the {kept} kept")
    text += f"Chosen: {chosen}, {why}"
    ties = account.get("chosen_ties") or []
    if ties:
        text += (f"; {len(ties)} other{'s' if len(ties) > 1 else ''} tied with it on every count "
                 f"({_tied_values(account['chosen_recipe'], ties)}) look the same to the MILP on its candidate "
                 "sample, so which is written is the sweep's order, not the physics (the quality table below is "
                 "the written one's)")
    return text + "."


def solves_words(line: dict) -> str:
    """The MILP's solves (twin.optimise.line_basis.agreeing_solve) in a few words: "2 (agreed)"."""
    from twin.optimise.line_basis import AGREED, FIXED_POINT, NO_DESIGN, inspection_alternates

    count = len(line.get("solves") or [])
    status = line.get("status")
    if status == AGREED:
        return f"{count} (agreed at once)" if count == 1 else f"{count} (agreed)"
    if inspection_alternates(line):
        return f"{count} (the inspection choice alternates; the last design's figures agree)"
    if status == FIXED_POINT:
        return f"{count} (same design on evaluate's yields: re-check not independent)"
    if status == NO_DESIGN:
        return f"{count} (no design on the re-based yields; solve {count}'s stands)"
    return f"{count}, stopped WITHOUT AGREEING ({status})"


@contextlib.contextmanager
def reader_may_close():
    """While printing the result: a reader that closes stdout (``ssb-twin optimise ... | head -30``) drops the
    rest of the output quietly and the command goes on to its own exit status (4 for a design that is not
    trustworthy). Rich's writes are handled for every command by twin.cli.main; this catches the JSON written
    to stdout (``--json -``), which would otherwise end the command with the shell's closed-pipe status."""
    from twin.cli import stdout_to_null

    try:
        yield
    except BrokenPipeError:
        stdout_to_null()


__all__ = ["QUALITY_CAPTION", "SAME_WITHIN", "candidates_row", "choice_words", "gap_words", "margin_words",
           "reader_may_close", "sheet_yield_words", "solves_words", "spec_row"]
