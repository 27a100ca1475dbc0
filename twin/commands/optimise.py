"""``ssb-twin optimise FILE``: the cheapest recipe and line for the plant target (Pyomo + HiGHS)."""

from __future__ import annotations

from pathlib import Path

import click

from twin.commands.design_paths import design_set_paths, recipe_set_path, set_value_text
from twin.commands.json_output import json_option, write_json
from twin.commands.optimise_tables import RECIPE_FIGURES, print_result, recipe_value
from twin.commands.optimise_wording import reader_may_close

# The printed tables live in twin.commands.optimise_tables; recipe_value and RECIPE_FIGURES are still importable
# from here, where other modules and branches first found them
__all__ = ["EXIT_NOT_TRUSTWORTHY", "OBJECTIVE_CHOICES", "RECIPE_FIGURES", "apply_design_command", "recipe_value",
           "register", "write_designed_scenario"]

OBJECTIVE_CHOICES = ("min_cost", "max_output", "pareto_output", "pareto_quality")
MAX_REPLICATIONS = 100
MAX_DAYS = 3650.0
# Exit status of a solved design whose MILP figures evaluate does not reproduce (re-check OUTSIDE)
EXIT_NOT_TRUSTWORTHY = 4


def write_designed_scenario(result: dict, path: str, scenario=None) -> None:
    """The designed scenario as YAML, headed by a comment naming the optimisation and its promise; with the
    ``scenario`` read, its description says it is the optimiser's design and what it changed."""
    import yaml

    from twin.commands.design_paths import designed_description
    from twin.no_output import figure
    from twin.scenario.limits import MAX_DESCRIPTION_CHARS

    verdict = result.get("recheck_verdict", {})
    header = [
        f"# written by ssb-twin optimise of scenario {result['scenario']} (objective {result['objective']})",
        f"# promised by evaluate of this design: {figure(result['cost']['usd_per_kwh'], ',.1f')} USD/kWh, "
        f"{figure(result['throughput']['gwh_per_year'], '.4g')} GWh/yr, overall yield "
        f"{figure(result['yield']['overall'], '.2%')}",
        f"# MILP estimate at the target: {figure(result['milp']['usd_per_kwh'], ',.1f')} USD/kWh; re-check: "
        + ("within evaluate's sampling error" if verdict.get("trustworthy", True) else verdict["message"]),
        "# `ssb-twin evaluate` of this file gives the promised figures (same seed)",
    ]
    written = result["designed_scenario"]
    if scenario is not None:
        written = {**written, "description": designed_description(
            scenario.model_dump(mode="json"), written, result["objective"], MAX_DESCRIPTION_CHARS)}
    body = yaml.safe_dump(written, sort_keys=False, allow_unicode=True)
    Path(path).write_text("\n".join(header) + "\n" + body, encoding="utf-8")


def _check_flags(replications: int, days: float) -> None:
    from twin.cli import InputError

    if not 1 <= replications <= MAX_REPLICATIONS:
        raise InputError(f"--replications {replications}: must be in [1, {MAX_REPLICATIONS}]")
    if not 0 < days <= MAX_DAYS:
        raise InputError(f"--days {days:g}: must be in (0, {MAX_DAYS:g}] days")


def apply_design_command(file: str, set_values: tuple[str, ...], scenario, result: dict) -> str | None:
    """``ssb-twin evaluate FILE --set ...``: the optimiser's own --set values, then every field the design
    changes (twin.commands.design_paths), each quoted for a POSIX shell; None without a design."""
    import shlex

    from twin.commands.evaluate import parse_set_options
    from twin.scenario.loader import apply_overrides, read_scenario_document

    written = result.get("designed_scenario")
    if result.get("status") != "optimal" or not written:
        return None
    document = read_scenario_document(file)
    if set_values:
        document = apply_overrides(document, parse_set_options(set_values))
    # every chosen recipe field, changed or not (the recipe is read whole), then the rest the design changes
    recipe = {recipe_set_path(scenario, label): value for chosen in result["design"]["recipes"].values()
              for label, value in chosen.items()}
    changes = [(path, value) for path, value in design_set_paths(scenario.model_dump(mode="json"), written, document)
               if path not in recipe]
    sets = [*set_values, *(f"{path}={set_value_text(value)}" for path, value in [*recipe.items(), *changes])]
    return " ".join(["ssb-twin", "evaluate", shlex.quote(file), *(f"--set {shlex.quote(item)}" for item in sets)])


def _phase(fraction: float) -> str:
    """What the optimiser is doing at ``fraction`` (twin.optimise.optimise's progress split)."""
    if fraction < 0.6:
        return "sweeping candidate recipes through the physics"
    if fraction < 0.7:
        return "solving the MILP"
    return "checking the design in the plant twin"


def register(group: click.Group) -> None:
    @group.command("optimise")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option(
        "--objective",
        type=click.Choice(OBJECTIVE_CHOICES),
        default="min_cost",
        show_default=True,
        help="min_cost: USD/kWh at the plant target; max_output: at optimisation.capex_budget_usd; "
        "pareto_output / pareto_quality: cost against output or quality margin.",
    )
    @json_option()
    @click.option(
        "--write-scenario", type=click.Path(dir_okay=False),
        help="Write the designed scenario as YAML here (ssb-twin evaluate of it gives the promised figures).",
    )
    @click.option("--no-twin-check", is_flag=True, help="Skip the discrete-event twin check of the design.")
    @click.option(
        "--replications", type=int, default=3, show_default=True, help="Twin replications per check."
    )
    @click.option(
        "--set",
        "set_values",
        multiple=True,
        metavar="PATH=VALUE",
        help="Override a scenario field, e.g. --set optimisation.max_machines_per_station=30",
    )
    @click.option(
        "--days", type=float, default=30.0, show_default=True, help="Simulated days per replication."
    )
    def optimise_command(
        file: str,
        objective: str,
        json_out: str | None,
        write_scenario: str | None,
        no_twin_check: bool,
        replications: int,
        days: float,
        set_values: tuple[str, ...],
    ) -> int:
        """Choose the sintering recipe, machines per station and shift pattern for scenario FILE."""
        from twin.commands.evaluate import parse_set_options
        from twin.optimise import optimise
        from twin.scenario import load_scenario

        _check_flags(replications, days)
        scenario = load_scenario(file, overrides=parse_set_options(set_values) or None)
        from twin.progress import progress_bar

        with progress_bar("optimising", 1.0, "", describe=_phase) as bar:
            result = optimise(
                scenario,
                objective=objective,
                twin_check=not no_twin_check,
                replications=replications,
                days=days,
                progress=bar,
            )
        if result["status"] != "optimal":
            status = 3
        else:
            status = 0 if result["recheck_verdict"]["trustworthy"] else EXIT_NOT_TRUSTWORTHY
        if result["status"] == "optimal":   # the design beside the scenario it started from (evaluate of each)
            from twin.commands.start_vs_design import line_figures, print_start_vs_design
            from twin.evaluate import evaluate_details
            from twin.optimise.target_cost import cost_at_target

            start_evaluation = evaluate_details(scenario)
            start = start_evaluation.result
            # priced at the target as the design is (the line as sized making only the target)
            start_at_target = cost_at_target(start_evaluation,
                                             scenario.plant.target_output_GWh_per_year).usd_per_kwh_at_target
            result = {**result, "start_vs_design": {"start": line_figures(start, start_at_target),
                                                    "design": line_figures(result)}}
        with reader_may_close():
            if result["status"] == "optimal":
                print_start_vs_design(start, result, objective, start_at_target)
            print_result(result, scenario, apply_design_command(file, set_values, scenario, result))
            write_json(json_out, result)
        if write_scenario and status != 3:
            write_designed_scenario(result, write_scenario, scenario)
        return status
