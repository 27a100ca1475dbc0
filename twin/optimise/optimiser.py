"""``optimise``: the cheapest (or most productive) recipe-and-line design for a scenario.

Pipeline: candidates evaluated by the physics -> dominated candidates pruned -> MILP built -> inputs
fixed -> HiGHS -> solution read (only if optimal) -> shadow prices (LP with integers fixed) -> the
design re-priced by the cost model and re-run through the physics -> optional Pareto front ->
optional twin check with capacity derating and re-solve.

The headline figures (throughput, yield, cost, stations, bottleneck) are ``evaluate`` of the scenario
the optimiser writes (``designed_scenario``, same seed), so ``ssb-twin evaluate`` of that file agrees
by construction; the MILP's own estimate (priced at exactly the target) is kept under ``milp``.
"""

from __future__ import annotations

import contextlib
import gc
import math
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from twin.evaluate import SAMPLE_SHEETS, evaluate_details
from twin.optimise.calendar import calendar_consistent_solve
from twin.optimise.coefficients import ProblemBuild, build_problem, line_output
from twin.optimise.design import cost_of, design_scenario, physics_recheck, plant_operation, recheck_verdict
from twin.optimise.fronts import max_output_GWh, output_front, quality_front
from twin.optimise.infeasibility import diagnose_infeasibility
from twin.optimise.inspection_choice import (
    choose_inspection_methods,
    choose_inspection_times,
    with_checks_as_designed,
)
from twin.optimise.model import build_model, fix_inputs
from twin.optimise.problem import OptimisationProblem
from twin.optimise.pruning import prune_problem
from twin.optimise.solve import extract_results, make_solver, shadow_prices, solve
from twin.optimise.twin_check import MAX_ROUNDS, confirms, twin_output, twin_simulator
from twin.plant_metrics import per_calendar_day
from twin.scenario import Scenario, ScenarioError, scenario_hash, validate_scenario

OBJECTIVES = ("min_cost", "max_output", "pareto_output", "pareto_quality")


def _inputs(problem: OptimisationProblem, objective: str) -> dict:
    inputs = {
        "target_output_GWh": problem.target_output_GWh_per_year,
        "capex_budget_usd": problem.capex_budget_usd,
        "energy_cap_MWh": problem.energy_cap_MWh_per_year,
        "floor_area_cap_m2": problem.floor_area_cap_m2,
        "min_quality_margin": problem.min_quality_margin,
    }
    if objective == "max_output":
        inputs["target_output_GWh"] = None
    return inputs


def derated(problem: OptimisationProblem, derating: dict[str, float]) -> OptimisationProblem:
    """The problem with each named station's effective capacity scaled by its factor."""
    stages = [
        replace(s, machine_hours_per_sheet=s.machine_hours_per_sheet / derating.get(s.step_name, 1.0),
                sizes=[replace(z, machine_hours_per_sheet=z.machine_hours_per_sheet / derating.get(s.step_name, 1.0))
                       for z in s.sizes])
        for s in problem.stages
    ]
    return replace(problem, stages=stages)


def _solve_design(problem: OptimisationProblem, objective: str, pattern: int | None = None) -> dict:
    """Build, fix, solve, extract one design; on infeasibility say which constraint group is why.

    ``pattern``: run only that shift pattern (the others fixed out); None lets the MILP choose."""
    started = time.perf_counter()
    m = build_model(problem)
    inputs = _inputs(problem, objective)
    fix_inputs(m, "max_output" if objective == "max_output" else "min_cost", **inputs)
    if pattern is not None and len(problem.shift_patterns) > 1:
        for p in m.PATTERNS:
            m.pattern[p].fix(1 if p == pattern else 0)
    build_s = time.perf_counter() - started
    outcome = solve(m, make_solver())
    solve_s = outcome.solve_time_s
    if outcome.optimal and objective == "max_output":
        # lexicographic: the most output, then the cheapest line that makes it
        top = extract_results(m, outcome).output_GWh_per_year
        inputs = {**inputs, "target_output_GWh": top * (1 - 1e-9)}
        fix_inputs(m, "min_cost", **inputs)
        outcome = solve(m, make_solver())
        solve_s += outcome.solve_time_s
    found = {"model": m, "inputs": inputs, "outcome": outcome, "build_s": build_s, "solve_s": solve_s}
    if not outcome.optimal:
        found["infeasibility"] = (
            diagnose_infeasibility(m, "min_cost", inputs) if outcome.termination == "infeasible" else []
        )
        return found
    found["design"] = extract_results(m, outcome)
    found["shadow_prices"] = shadow_prices(m)
    return found


def _design_report(
    scenario: Scenario,
    build: ProblemBuild,
    problem: OptimisationProblem,
    kept: list[np.ndarray],
    found: dict,
    n_sheets: int,
) -> dict:
    design = found["design"]
    full_choice = [int(kept[g][c]) for g, c in enumerate(design.choice)]
    designed = design_scenario(scenario, build, full_choice, design.pattern, design.machines, design.sizes)
    operation = plant_operation(
        designed,
        problem,
        design.choice,
        design.pattern,
        design.machines,
        design.sheets_in_per_year,
        design.sheets_good_out_per_year,
        design.sizes,
    )
    cost = cost_of(operation)
    pattern = problem.shift_patterns[design.pattern]
    step_yield = {
        s.step_name: (
            design.sheets_good_out_per_year[i] / design.sheets_in_per_year[i]
            if design.sheets_in_per_year[i] > 0
            else 0.0
        )
        for i, s in enumerate(problem.stages)
    }
    first = design.sheets_in_per_year[0]
    # the design's good pieces per sheet leaving the line: the baseline's x its candidates' piece factors
    piece_yield = problem.design_good_pieces_per_sheet(design.choice) / designed.cell.format.cells_per_sheet
    milp_gwh = design.output_GWh_per_year
    # what the MILP expected of its design: flows at the target, yields from the candidate sample
    milp = {
        "usd_per_kwh": design.annual_cost_usd / (milp_gwh * 1e6) if milp_gwh > 0 else None,
        "annual_cost_usd": design.annual_cost_usd,
        "cost_model_usd_per_kwh": cost["usd_per_kwh"],
        "cost_model_annual_cost_usd": cost["total_usd_per_year"],
        "capex_usd": cost["capex_usd"],
        "gwh_per_year": milp_gwh,
        "good_cells_per_day": per_calendar_day(operation.good_cells_per_year),
        "sheets_started_per_year": float(first),
        # as evaluate: good cell pieces per piece started (sheet yields x the pieces defects left)
        "overall_yield": (float(design.sheets_good_out_per_year[-1] / first) * piece_yield) if first > 0 else 0.0,
        "by_step_yield": step_yield,
        "cell_piece_yield": piece_yield,
        # the chosen candidates' good pieces per sheet over the baseline recipes' (DecisionGroup.piece_factor)
        "piece_factor": problem.good_pieces_factor(design.choice),
        "utilization": operation.utilization,
    }
    inspection_trials: list[dict] = []
    space = scenario.optimisation
    if space is not None and space.inspection_cycle_time_s:
        # after the MILP: each time-dependent inspection's cycle time, priced by evaluate with its escapes
        designed, inspection_trials = choose_inspection_times(designed, space.inspection_cycle_time_s)
    method_trials: list[dict] = []
    if space is not None and space.inspection_methods:
        # each offered method and resolution at its check, the station re-sized, priced with its escapes
        designed, method_trials = choose_inspection_methods(designed, space.inspection_methods)
    milp.update(_at_chosen_inspection(scenario, designed, problem, milp,
                                      [t["check"] for t in inspection_trials + method_trials]))
    # the headline is evaluate of the scenario the optimiser writes, so both commands agree by construction
    headline = evaluate_details(validate_scenario(designed.model_dump(mode="json"))).result
    return {
        "designed_scenario": designed,
        "design": {
            "recipes": {g.name: g.recipes[c] for g, c in zip(problem.groups, design.choice, strict=False)},
            "shift_pattern": {
                "shifts_per_day": pattern.shifts_per_day,
                "days_per_week": pattern.days_per_week,
                "hours_per_shift": pattern.hours_per_shift,
                "hours_per_year": pattern.hours_per_year,
            },
            "machines": {name: station.machines for name, station in designed.line.stations.items()},
            # the size picked for each station that offers sizes, in its axis' unit
            "sizes": {s.step_name: s.sizes[z].size for s, z in zip(problem.stages, design.sizes or [], strict=False)
                      if z is not None},
            "inspection": inspection_trials,
            "inspection_methods": method_trials,
        },
        "throughput": headline["throughput"],
        "yield": headline["yield"],
        "cost": headline["cost"],
        "stations": headline["stations"],
        "bottleneck": headline["bottleneck"],
        "energy_kwh_per_kwh": headline["energy_kwh_per_kwh"],
        "undefined_reason": headline["undefined_reason"],
        "utilization": {name: station["utilization"] for name, station in headline["stations"].items()},
        "headline_source": "evaluate of designed_scenario (same seed)",
        "milp": milp,
        "milp_gap": _gap(headline, milp),
        # the shared result keys of the written scenario, as evaluate gives them
        "quality": headline["quality"],
        "quality_at_check": headline["quality_at_check"],
        "cell": headline["cell"],
        # the MILP's view of each chosen recipe: its mean sheet's margin to the specs (candidate sample)
        "recipe_quality": {
            g.name: {
                "margin": float(g.quality_margin[c]),
                **{k: float(v[c]) for k, v in g.quality_means.items()},
            }
            for g, c in zip(problem.groups, design.choice, strict=False)
        },
        "energy_MWh_per_year": design.energy_MWh_per_year,
        "floor_area_m2": design.floor_area_m2,
        "binding_constraints": found["shadow_prices"],
        "physics_recheck": physics_recheck(designed, problem, design.choice, n_sheets, headline, milp),
    }


def _at_chosen_inspection(scenario: Scenario, designed: Scenario, problem: OptimisationProblem, milp: dict,
                          checks: list[str]) -> dict:
    """The MILP's yield and output with the inspection chosen after it (inspection_choice): what a sheet
    leaving the line delivers is read again from evaluate's sample of the scenario's own recipes with the
    chosen checks, and scales the MILP's good pieces (the candidates' piece factors stay). The MILP's cost and
    machines stay as solved: the re-sized check station is priced by evaluate only."""
    as_designed = with_checks_as_designed(scenario, designed, list(dict.fromkeys(checks))) if checks else None
    base = problem.good_pieces_per_sheet * problem.cell_energy_Wh
    if as_designed is None or base <= 0:
        pieces, output = 1.0, 1.0
    else:
        chosen = line_output(as_designed)
        pieces = chosen.good_pieces_per_sheet / problem.good_pieces_per_sheet
        output = chosen.good_pieces_per_sheet * chosen.cell_energy_Wh / base
    return {"overall_yield_chosen_inspection": milp["overall_yield"] * pieces,
            "cell_piece_yield_chosen_inspection": milp["cell_piece_yield"] * pieces,
            "gwh_per_year_chosen_inspection": milp["gwh_per_year"] * output}


def _gap(headline: dict, milp: dict) -> dict:
    """Relative difference of the headline (evaluate) from the MILP's estimate, with the reasons it exists."""
    def relative(a, b):
        return a / b - 1.0 if a is not None and b else None
    return {
        "usd_per_kwh": relative(headline["cost"]["usd_per_kwh"], milp["usd_per_kwh"]),
        "gwh_per_year": relative(headline["throughput"]["gwh_per_year"], milp["gwh_per_year"]),
        "why": "the MILP prices its line at exactly the target output with yields from its candidate sample; "
               "evaluate runs the same line at its own capacity (whole machines leave spare capacity) with "
               f"yields from a {SAMPLE_SHEETS}-sheet sample",
    }


# Young objects allocated between two runs of the cyclic garbage collector while optimising (Python's
# default is 700). The sweep's recipe copies and the MILP's Pyomo model are millions of small objects
# that live to the end of the run; with the default, the collector's full passes over them and over every
# imported module took ~1.2 s of the gigafactory's ~11 s (measured with gc.callbacks, 30 Nov 2026), with
# this ~0.25 s. Assumption: 20,000 bounds the cyclic garbage waiting between passes to a few MB.
YOUNG_OBJECTS_PER_COLLECTION = 20_000


@contextlib.contextmanager
def fewer_collections():
    """Collect cyclic garbage less often for the duration, and leave what is alive on entry (modules,
    the scenario) out of the collector's passes; the thresholds and the objects are restored on exit.
    Numbers are unchanged: the collector only frees unreachable cycles."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], YOUNG_OBJECTS_PER_COLLECTION), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


@fewer_collections()
def optimise(
    scenario: Scenario,
    objective: str = "min_cost",
    progress: Callable[[float], None] | None = None,
    twin_check: bool = True,
    replications: int = 3,
    days: float = 30,
    prune: bool = True,
    workers: int | None = None,
) -> dict:
    """Choose recipes, machines and shift pattern; see docs/architecture.md for the entry point.

    ``objective``: ``min_cost`` ($/kWh at the plant target), ``max_output`` (at
    ``optimisation.capex_budget_usd``), ``pareto_output`` or ``pareto_quality`` (min-cost design plus a
    front). Returns a JSON-ready dict (the designed scenario under ``designed_scenario`` as a dict).
    ``workers`` is passed to the twin check's ``simulate`` (None: its default process pool).
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective: {objective!r} is not one of {', '.join(OBJECTIVES)}")
    space = scenario.optimisation
    if objective == "max_output" and (space is None or space.capex_budget_usd is None):
        raise ScenarioError(
            [
                "optimisation.capex_budget_usd: required for objective 'max_output' "
                "(the most output for a given budget); add it to the scenario"
            ]
        )

    def report(start: float, end: float) -> Callable[[float], None]:
        return lambda f: progress(start + (end - start) * min(max(f, 0.0), 1.0)) if progress else None

    build = build_problem(scenario, progress=report(0.0, 0.6))
    started = time.perf_counter()
    problem, kept = (
        prune_problem(build.problem)
        if prune
        else (build.problem, [np.arange(g.candidates) for g in build.problem.groups])
    )
    builds: dict = {"first": (build, problem, kept, time.perf_counter() - started)}
    n_sheets = space.candidate_sample_sheets if space else 200
    result: dict = {
        "scenario": scenario.name,
        "scenario_hash": scenario_hash(scenario),
        "objective": objective,
    }
    derating: dict[str, float] = {}
    rounds: list[dict] = []
    simulate = twin_simulator() if twin_check else None
    for round_index in range(MAX_ROUNDS + 1):
        build, problem, kept, found, calendar = calendar_consistent_solve(
            scenario, builds, derating, "max_output" if objective == "max_output" else "min_cost", prune)
        distinct = {id(b[0]): b for b in builds.values()}.values()
        result["candidates"] = {
            g.name: {"generated": full.candidates, "after_pruning": g.candidates}
            for g, full in zip(problem.groups, build.problem.groups, strict=False)
        }
        result["shift_calendar_yields"] = calendar
        result["timing_s"] = {"candidate_evaluation": sum(b[0].evaluation_time_s for b in distinct),
                              "pruning": sum(b[3] for b in distinct)}
        result["timing_s"].update(model_build=found["build_s"], solve=found["solve_s"])
        result["status"] = "optimal" if found["outcome"].optimal else found["outcome"].termination
        result["termination"] = found["outcome"].termination
        if not found["outcome"].optimal:
            result["infeasibility"] = found.get("infeasibility", [])
            break
        result.update(_design_report(scenario, build, problem, kept, found, n_sheets))
        result["recheck_verdict"] = recheck_verdict(result["physics_recheck"])
        if simulate is None:
            result["twin_check"] = {"status": "not run", "reason": "--no-twin-check"}
            break
        measured = twin_output(simulate, result["designed_scenario"], days, replications, scenario.seed,
                               workers=workers, progress=report(0.7 + 0.3 * round_index / (MAX_ROUNDS + 1),
                                                                0.7 + 0.3 * (round_index + 1) / (MAX_ROUNDS + 1))
                               if progress else None)
        planned = result["milp"]["gwh_per_year"]
        rounds.append(
            {"round": round_index, "optimiser_gwh_per_year": planned, **measured, "derating": dict(derating)}
        )
        if progress:
            progress(0.7 + 0.3 * (round_index + 1) / (MAX_ROUNDS + 1))
        target = planned if objective == "max_output" else problem.target_output_GWh_per_year
        if confirms(measured["gwh_per_year"], target):
            result["twin_check"] = {"status": "confirmed", "rounds": rounds}
            break
        bottleneck = measured["bottleneck"]
        if round_index == MAX_ROUNDS or not bottleneck or measured["gwh_per_year"] <= 0:
            result["twin_check"] = {
                "status": "not confirmed",
                "rounds": rounds,
                "reason": f"after {round_index + 1} rounds the twin makes "
                f"{measured['gwh_per_year']:.4g} GWh/yr, target {target:.4g}",
            }
            break
        derating[bottleneck] = derating.get(bottleneck, 1.0) * measured["gwh_per_year"] / planned
    if "designed_scenario" in result:
        result["designed_scenario"] = result["designed_scenario"].model_dump(mode="json")
    if objective in ("pareto_output", "pareto_quality") and result["status"] == "optimal":
        m, inputs = found["model"], found["inputs"]
        points = space.pareto_points if space else 8
        front = output_front if objective == "pareto_output" else quality_front
        result["pareto"] = front(m, inputs, points)
    if objective == "max_output" and result["status"] == "optimal":
        result["max_output_GWh_per_year"] = result["milp"]["gwh_per_year"]
    if progress:
        progress(1.0)
    return _finite(result)


def _finite(value):
    """JSON has no inf/NaN: write them as None."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


__all__ = ["OBJECTIVES", "derated", "max_output_GWh", "optimise"]
