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
import json
import math
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from twin.optimise import line_basis
from twin.optimise.calendar import calendar_consistent_solve
from twin.optimise.chosen_checks import chosen_check_stages, inspection_key
from twin.optimise.coefficients import build_problem
from twin.optimise.design import recheck_verdict
from twin.optimise.design_report import design_report
from twin.optimise.fronts import max_output_GWh, output_front, quality_front
from twin.optimise.infeasibility import diagnose_infeasibility
from twin.optimise.inspection_choice import sizing_each_method
from twin.optimise.line_basis import LineBasis, agreeing_solve, measured_basis
from twin.optimise.method_sizing import line_sizer, sized_key
from twin.optimise.model import build_model, fix_inputs
from twin.optimise.problem import OptimisationProblem
from twin.optimise.pruning import prune_problem
from twin.optimise.solve import extract_results, make_solver, shadow_prices, solve
from twin.optimise.twin_check import MAX_ROUNDS, confirms, twin_output, twin_simulator
from twin.scenario import Scenario, ScenarioError, scenario_hash

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


def _solve_design(problem: OptimisationProblem, objective: str, pattern: int | None = None,
                  choice: tuple[int, ...] | None = None, diagnose: bool = True, duals: bool = True) -> dict:
    """Build, fix, solve, extract one design; on infeasibility say which constraint group is why.

    ``pattern``: run only that shift pattern (the others fixed out); None lets the MILP choose. ``choice``:
    keep these candidates (one per decision group, the problem's indices); None lets the MILP choose.
    ``diagnose``: on infeasibility, say which constraint group is why (a few MILP solves; a trial sizing that
    only needs to know there is no design skips it). ``duals``: the binding limits' shadow prices (an LP with the
    integers fixed, ~0.15 s on the gigafactory); the line loop reads them of the design it returns only."""
    started = time.perf_counter()
    m = build_model(problem)
    inputs = _inputs(problem, objective)
    fix_inputs(m, "max_output" if objective == "max_output" else "min_cost", **inputs)
    if pattern is not None and len(problem.shift_patterns) > 1:
        for p in m.PATTERNS:
            m.pattern[p].fix(1 if p == pattern else 0)
    if choice is not None:
        for g, c in m.CHOICES:
            m.choose[g, c].fix(1 if c == choice[g] else 0)
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
            diagnose_infeasibility(m, "min_cost", inputs) if diagnose and outcome.termination == "infeasible" else []
        )
        return found
    found["design"] = extract_results(m, outcome)
    found["shadow_prices"] = shadow_prices(m) if duals else None
    return found


def _line_attempt(scenario: Scenario, builds: dict, derating: dict[str, float], objective: str, prune: bool,
                  n_sheets: int, timing: dict[str, float]) -> Callable[[LineBasis | None, int], dict]:
    """One solve for twin.optimise.line_basis.agreeing_solve: the calendar-consistent MILP on ``basis``, the
    design's report (evaluate of the written scenario), its re-check verdict and the basis measured on it."""
    solve_objective = "max_output" if objective == "max_output" else "min_cost"
    sized_for: set = set()   # the inspections earlier solves sized the line with
    sized_lines: dict = {}   # each inspection's line sized for it, by design (twin.optimise.method_sizing)

    def attempt(basis: LineBasis | None, solve_number: int) -> dict:
        build, problem, kept, found, calendar = calendar_consistent_solve(scenario, builds, derating, solve_objective,
                                                                          prune, basis)
        timing["model_build"] += found["build_s"]
        timing["solve"] += found["solve_s"]
        out = {"optimal": found["outcome"].optimal, "build": build, "problem": problem, "kept": kept,
               "found": found, "calendar": calendar}
        if not out["optimal"]:
            return out
        # each offered inspection priced on a line sized for it (twin.optimise.method_sizing), kept across solves
        sizer = (line_sizer(scenario, build, problem, kept, found, derating, solve_objective, solve_number,
                            sized_lines) if scenario.optimisation is not None
                 and scenario.optimisation.inspection_methods else None)
        with sizing_each_method(sizer):
            report, evaluation = design_report(scenario, build, problem, kept, found, n_sheets)
        verdict = recheck_verdict(report["physics_recheck"])
        milp, output = report["milp"], evaluation.flow.output
        # the chosen inspection's good pieces and output over the scenario's own checks, on the baseline recipes:
        # at_chosen_inspection's ratio is over the basis's inspection, so times that basis's ratio
        pieces_ratio = _ratio(milp["overall_yield_chosen_inspection"], milp["overall_yield"])
        energy_ratio = _ratio(_ratio(milp["gwh_per_year_chosen_inspection"], milp["gwh_per_year"]), pieces_ratio)
        if basis is not None and basis.inspection_key is not None:
            pieces_ratio *= basis.inspection_pieces_ratio
            energy_ratio *= basis.inspection_energy_ratio
        designed = report["designed_scenario"]
        checks = [t["check"] for t in report["design"]["inspection"] + report["design"]["inspection_methods"]]
        chosen_key = inspection_key(scenario, designed, checks) if checks else None
        # the next solve sizes the line with the chosen inspection (its stations, yields and good pieces)
        chosen_stages = (chosen_check_stages(scenario, build.pattern_scenarios, designed, checks)
                         if chosen_key is not None else ())
        basis_here = measured_basis(problem, found["design"].choice, evaluation.flow.step_yield,
                                    output.good_pieces_per_sheet, output.cell_energy_Wh, pieces_ratio, energy_ratio,
                                    solve_number, chosen_stages, chosen_key)
        # agreed only when solved with the inspection chosen for it: else the line was sized on other checks. With
        # methods offered, the solve must be the sizing of the chosen method's line (its basis, measured on that
        # method's trial line: twin.optimise.method_sizing), so the design is the line its trial row priced
        sized_with = basis.inspection_key if basis is not None else None
        sized = (sized_lines.get(sized_key(found["design"].pattern, found["design"].choice, chosen_key, derating))
                 if sizer is not None else None)
        solved_with_chosen = (sized is not None and sized.basis is basis) if sizer is not None \
            else chosen_key == sized_with
        # two methods of nearly equal cost: the line sized for one picks the other and back again (recorded, so
        # the loop's end can say why it did not settle)
        inspection_cycle = bool(verdict["trustworthy"] and not solved_with_chosen and chosen_key is not None
                                and chosen_key in sized_for)
        if sized_with is not None:
            sized_for.add(sized_with)
        if verdict["trustworthy"] and not solved_with_chosen:
            # only the inspection moved: the next solve keeps these recipes and shift pattern and sizes the line
            # (twin.optimise.line_basis.LineBasis.kept_design) on the basis the chosen method's trial line was
            # sized on, so it builds the line the trials priced
            basis_here = (sized.basis if sized is not None
                          else replace(basis_here, kept_design=(int(found["design"].pattern),
                                                                tuple(int(c) for c in found["design"].choice))))
        recheck = report["physics_recheck"]
        summary = {"shift_pattern": report["design"]["shift_pattern"], "machines": report["design"]["machines"],
                   "recipes": report["design"]["recipes"], "trustworthy": verdict["trustworthy"],
                   "solved_with_chosen_inspection": solved_with_chosen, "inspection_cycle": inspection_cycle,
                   "milp_annual_cost_usd": report["milp"]["annual_cost_usd"],
                   "gwh_per_year_evaluate": report["throughput"]["gwh_per_year"],
                   "usd_per_kwh_evaluate": report["cost"]["usd_per_kwh"]}
        for key in ("overall_yield", "wh_per_sheet_started"):
            summary.update({f"{key}_{side}": recheck[key][side] for side in ("milp", "evaluate", "tolerance")})
        out.update(report=report, verdict=verdict, agrees=verdict["trustworthy"] and solved_with_chosen,
                   basis=basis_here, basis_of_design=sized is None or basis_here is not sized.basis, summary=summary,
                   design_key=json.dumps({k: report["design"][k] for k in sorted(report["design"])},
                                         sort_keys=True, default=str))
        return out

    return attempt


def _ratio(a: float, b: float) -> float:
    return a / b if b else 1.0


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
    timing = {"model_build": 0.0, "solve": 0.0}
    attempt = _line_attempt(scenario, builds, derating, objective, prune, n_sheets, timing)
    for round_index in range(MAX_ROUNDS + 1):
        # each twin-check round starts again from the candidate sample's yields (its derating moves the line)
        last, line = agreeing_solve(attempt, max_solves=line_basis.MAX_LINE_SOLVES)
        build, problem, kept, found, calendar = (last[k] for k in ("build", "problem", "kept", "found", "calendar"))
        distinct = {id(b[0]): b for b in builds.values()}.values()
        result["candidates"] = {
            g.name: {"generated": full.candidates, "after_pruning": g.candidates}
            for g, full in zip(problem.groups, build.problem.groups, strict=False)
        }
        result["shift_calendar_yields"] = calendar
        result["design_line_yields"] = line
        result["timing_s"] = {"candidate_evaluation": sum(b[0].evaluation_time_s for b in distinct),
                              "pruning": sum(b[3] for b in distinct)}
        result["timing_s"].update(timing)   # every solve of the loops
        result["status"] = "optimal" if found["outcome"].optimal else found["outcome"].termination
        result["termination"] = found["outcome"].termination
        if not found["outcome"].optimal:
            result["infeasibility"] = found.get("infeasibility", [])
            break
        result.update(last["report"])
        # the duals of the design returned only (the line loop's solves skip them: twin.optimise.calendar)
        if found.get("shadow_prices") is None:
            found["shadow_prices"] = shadow_prices(found["model"])
        result["binding_constraints"] = found["shadow_prices"]
        result["recheck_verdict"] = dict(last["verdict"])
        if line["status"] == line_basis.FIXED_POINT:
            # the MILP re-priced on evaluate's yields of this very design: its figures are evaluate's own
            result["recheck_verdict"]["independent"] = False
            result["recheck_verdict"]["message"] = (
                "the re-check agrees by construction (the MILP's figures are evaluate's of this design, on which it "
                "chose it again); its own model missed on solve 1: the independent test is the twin check")
        else:
            result["recheck_verdict"]["independent"] = True
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
