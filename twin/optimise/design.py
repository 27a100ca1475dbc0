"""Turn a MILP solution into a plant: the scenario it describes, its operation, its cost, its physics.

The chosen design is re-priced by the cost model (``twin.cost.annual_cost``) and re-run through the
physics on the same Monte Carlo sample (``twin.sheet_physics``), so the report shows the solver's
figures next to the models' own.
"""

from __future__ import annotations

import numpy as np

from twin.cost import annual_cost
from twin.cost.linear_model import conditioning_kWh_per_machine_per_year, station_energy_kWh_per_year
from twin.operation import PlantOperation
from twin.optimise.candidates import baseline_sample
from twin.optimise.coefficients import ProblemBuild, with_pattern
from twin.optimise.problem import OptimisationProblem
from twin.optimise.recipe_space import with_recipes
from twin.scenario import Scenario
from twin.scenario.machine_sizes import with_sizes


def design_scenario(
    scenario: Scenario, build: ProblemBuild, choice: list[int], pattern: int, machines: np.ndarray,
    sizes: list[int | None] | None = None,
) -> Scenario:
    """The scenario with the chosen recipes, shift pattern, machine sizes and counts (choice in full indices)."""
    steps = {}
    for g, c in enumerate(choice):
        steps.update(build.candidate_steps[g][c])
    designed = with_pattern(with_recipes(scenario, steps), build.problem.shift_patterns[pattern])
    stations = {
        name: station.model_copy(update={"machines": max(1, int(machines[i]))})
        for i, (name, station) in enumerate((s.name, designed.line.stations[s.name]) for s in designed.route)
    }
    designed = designed.model_copy(update={"line": designed.line.model_copy(update={"stations": stations})})
    stages = build.problem.stages
    picked = {stages[i].step_name: stages[i].sizes[z].size for i, z in enumerate(sizes or []) if z is not None}
    return with_sizes(designed, picked)


def plant_operation(
    designed: Scenario,
    problem: OptimisationProblem,
    choice: list[int],
    pattern: int,
    machines: np.ndarray,
    sheets_in: np.ndarray,
    sheets_out: np.ndarray,
    sizes: list[int | None] | None = None,
) -> PlantOperation:
    """Operating figures of the design (choice in the problem's own candidate indices; sizes per station)."""
    hours = problem.shift_patterns[pattern].hours_per_year
    route = designed.route
    energy, utilization = {}, {}
    for i, step in enumerate(route):
        stage = problem.stages[i].at_size(None if sizes is None else sizes[i])
        k = 0 if stage.group is None else choice[stage.group]
        energy[step.name] = station_energy_kWh_per_year(
            designed, step.name, machines[i], sheets_in[i]
        ) + machines[i] * conditioning_kWh_per_machine_per_year(designed, step.name)
        busy_h = stage.machine_hours_per_sheet[k] * sheets_in[i]
        utilization[step.name] = busy_h / (machines[i] * hours) if machines[i] > 0 else 0.0
    return PlantOperation(
        scenario=designed,
        operating_hours_per_year=hours,
        machines={s.name: int(machines[i]) for i, s in enumerate(route)},
        sheets_in_per_year={s.name: float(sheets_in[i]) for i, s in enumerate(route)},
        sheets_good_out_per_year={s.name: float(sheets_out[i]) for i, s in enumerate(route)},
        good_cells_per_year=float(sheets_out[-1]) * problem.design_good_pieces_per_sheet(choice)
        / designed.cell.format.layers_per_cell,
        cell_energy_Wh=problem.cell_energy_Wh,
        energy_kWh_per_year=energy,
        utilization=utilization,
    )


def cost_of(operation: PlantOperation) -> dict:
    return annual_cost(operation).result_block()


def sheet_yield_recheck(
    designed: Scenario, problem: OptimisationProblem, choice: list[int], n_sheets: int
) -> dict:
    """Run the whole designed route on the candidate sample and compare step SHEET yields with the MILP's.

    Inside a decision group's span the numbers agree exactly (same sample, same physics); outside it
    the MILP used the baseline recipes' yields, and this shows whether a chosen recipe changed a later
    step's sheet yield (coupling through a later inspection). Pieces lost one by one leave sheet yields at
    ~1: :func:`physics_recheck` compares the pieces.
    """
    sample = baseline_sample(designed, n_sheets)
    milp = []
    for stage in problem.stages:
        k = 0 if stage.group is None else choice[stage.group]
        milp.append(float(stage.yield_fraction[k]))
    physics = [float(y) for y in sample.step_yield]
    return {
        "by_step": {
            s.step_name: {"milp": a, "physics": b}
            for s, a, b in zip(problem.stages, milp, physics, strict=False)
        },
        "sheet_yield_milp": float(np.prod(milp)),
        "sheet_yield_physics": float(np.prod(physics)),
        "max_step_yield_difference": float(max(abs(a - b) for a, b in zip(milp, physics, strict=False))),
    }


def _compared(milp: float | None, evaluate: float | None, tolerance: float | None) -> dict:
    difference = evaluate - milp if milp is not None and evaluate is not None else None
    # a fixed-yield line (BatPaC's yields) has no sampling error: its tolerance is 0, and the two sums of the
    # same figures still differ in their last bits, so rounding (1e-9 relative) is allowed on top
    within = (difference is not None and tolerance is not None
              and abs(difference) <= tolerance + 1e-9 * max(abs(milp), abs(evaluate)))
    return {"milp": milp, "evaluate": evaluate, "difference": difference, "tolerance": tolerance, "within": within}


def physics_recheck(designed: Scenario, problem: OptimisationProblem, choice: list[int], n_sheets: int,
                    headline: dict, milp: dict) -> dict:
    """What the user reads, the MILP's against evaluate's on the written design: the overall yield (good cell
    pieces per piece started) and the delivered Wh per sheet started (the output per sheet: the MILP prices its
    line at the target, evaluate at its capacity, so the yearly GWh differ by design; per sheet started they
    must agree). The tolerance is evaluate's own 95 % sampling error of the yield (``sampling_error``, the
    interval the evaluation prints), relative for the output per sheet; ``within`` says whether the MILP's
    figure lies inside it. The MILP's figures are at the inspection the design finally uses (``milp`` keys
    ``*_chosen_inspection``). The step sheet yields stay under ``sheets`` (:func:`sheet_yield_recheck`).
    """
    error = (headline.get("sampling_error") or {}).get("yield_overall")
    evaluate_yield = headline["yield"]["overall"]
    half_width = error["ci95_high"] - error["value"] if error else None
    throughput = headline["throughput"]
    started = throughput["sheets_started_per_hour"] * throughput["operating_hours_per_year"]
    evaluate_wh = throughput["gwh_per_year"] * 1e9 / started if started > 0 else None
    milp_started = milp["sheets_started_per_year"]
    milp_wh = milp["gwh_per_year_chosen_inspection"] * 1e9 / milp_started if milp_started > 0 else None
    relative = half_width / evaluate_yield if half_width is not None and evaluate_yield > 0 else None
    return {
        "overall_yield": _compared(milp["overall_yield_chosen_inspection"], evaluate_yield, half_width),
        "wh_per_sheet_started": _compared(milp_wh, evaluate_wh, relative * evaluate_wh
                                          if relative is not None and evaluate_wh is not None else None),
        "tolerance_source": "evaluate's 95 % sampling error of the overall yield (relative, for Wh per sheet)",
        "sheets": sheet_yield_recheck(designed, problem, choice, n_sheets),
    }


RECHECK_FIGURES = {"overall_yield": "overall yield", "wh_per_sheet_started": "Wh per sheet started"}


def recheck_verdict(recheck: dict) -> dict:
    """Whether the MILP's promise holds: every re-checked figure (:func:`physics_recheck`) lies within
    evaluate's sampling error. ``trustworthy`` is False when one lies OUTSIDE: the MILP chose the design on
    yields that evaluate of the written design does not reproduce, so its claim to be the best design is
    not supported (its headline figures are evaluate's own, but another design may beat it).
    ``outside`` names the figures, ``message`` says it in one sentence for the user."""
    outside = [name for name in RECHECK_FIGURES
               if recheck[name]["tolerance"] is not None and not recheck[name]["within"]]
    if not outside:
        return {"trustworthy": True, "outside": [], "message": "the MILP's yield and output per sheet agree with "
                "evaluate of the design within its sampling error"}
    figures = " and ".join(RECHECK_FIGURES[name] for name in outside)
    gaps = "; ".join(f"{RECHECK_FIGURES[name]} {recheck[name]['milp']:.4g} promised, {recheck[name]['evaluate']:.4g} "
                     f"by evaluate (+-{recheck[name]['tolerance']:.2g})" for name in outside)
    return {"trustworthy": False, "outside": outside,
            "message": f"NOT TRUSTWORTHY: the MILP's {figures} disagree with evaluate of the design beyond its "
                       f"sampling error ({gaps}), so the optimiser chose this design on numbers the physics does "
                       "not reproduce and its output or cost figures (evaluate's) may miss what it was chosen for; "
                       "it is not a recommendation (another design may be better). Evaluate it as written "
                       "(--write-scenario FILE, then ssb-twin evaluate FILE) and compare it with the baseline, or "
                       "re-run with a larger optimisation.candidate_sample_sheets"}


__all__ = ["RECHECK_FIGURES", "cost_of", "design_scenario", "physics_recheck", "plant_operation", "recheck_verdict",
           "sheet_yield_recheck"]
