"""The shift calendar the candidates' yields are evaluated on must be the one the design runs.

A sheet's dry-room wait before the Li foil depends on the shift calendar (a weekend stop holds the sheets
in the buffers: twin.sheet_exposure), so the candidates' sheet yields do too; the MILP chooses the
calendar among ``optimisation.shift_patterns``. :func:`calendar_consistent_solve` re-evaluates the
candidates on the calendar the MILP picked and solves again until the two agree.
"""

from __future__ import annotations

import functools
import time

import numpy as np

from twin.optimise.coefficients import ProblemBuild, build_problem, with_pattern
from twin.optimise.line_basis import LineBasis, rebased
from twin.optimise.problem import OptimisationProblem
from twin.optimise.pruning import prune_problem
from twin.scenario import Scenario


def _own_pattern(scenario: Scenario, build: ProblemBuild) -> int | None:
    """Index of the shift pattern the scenario's own calendar runs (None: not among the offered ones)."""
    shifts = scenario.line.shifts
    for p, pattern in enumerate(build.problem.shift_patterns):
        if (pattern.shifts_per_day, pattern.days_per_week) == (shifts.shifts_per_day, shifts.days_per_week):
            return p
    return None


def _better(a: dict, b: dict, objective: str) -> bool:
    """Whether solved design ``a`` beats ``b`` on the objective (max output, else the least annual cost)."""
    if objective == "max_output":
        return a["design"].output_GWh_per_year > b["design"].output_GWh_per_year
    return a["design"].annual_cost_usd < b["design"].annual_cost_usd


def calendar_consistent_solve(scenario: Scenario, builds: dict, derating: dict[str, float], objective: str,
                              prune: bool, basis: LineBasis | None = None,
                              ) -> tuple[ProblemBuild, OptimisationProblem, list[np.ndarray], dict, dict]:
    """Solve with candidate yields evaluated on the shift calendar the design runs.

    The candidates' sheet yields depend on the calendar (a sheet caught by a weekend stop waits in the dry
    room: twin.sheet_exposure), and the MILP chooses the calendar. The problem is first built on the
    scenario's own calendar; when the MILP picks another shift pattern, the candidates are evaluated again
    on that pattern's calendar and the MILP solved again, until the pattern it picks is the one its yields
    were evaluated on (a fixed point). Should the choice cycle between patterns, each evaluated pattern is
    solved with its own yields and that pattern fixed, and the best of these designs is taken.

    ``builds``: pattern index (None: the scenario's own calendar, not offered) -> (build, problem, kept),
    kept between the twin check's rounds. ``basis``: the yields moved onto evaluate of a designed line
    (twin.optimise.line_basis; None: the candidate sample's). Returns (build, derated and re-based problem, kept,
    solve record, calendar record).
    """
    from twin.optimise.optimiser import _solve_design, derated

    # the optimiser reads the binding limits' duals of the design it returns only (twin.optimise.optimiser)
    solve_design = functools.partial(_solve_design, duals=False)

    def built(key):
        if key not in builds:
            # a pattern not evaluated yet (the scenario's own calendar is the first build, already in builds)
            build = build_problem(with_pattern(scenario, first_build.problem.shift_patterns[key]))
            started = time.perf_counter()
            problem, kept = prune_problem(build.problem) if prune else (
                build.problem, [np.arange(g.candidates) for g in build.problem.groups])
            builds[key] = (build, problem, kept, time.perf_counter() - started)
        return builds[key]

    first_build = builds["first"][0]
    own = _own_pattern(scenario, first_build)
    if own not in builds:
        builds[own] = builds["first"]
    key, tried = own, []
    kept_design = basis.kept_design if basis is not None else None
    if kept_design is not None:
        # the recipes and shift pattern of the design measured are kept: its calendar's candidates, one solve
        key, choice = kept_design
        build, problem, kept, _ = built(key)
        found = solve_design(rebased(derated(problem, derating), basis), objective, pattern=key, choice=choice)
        tried.append(key)
    while kept_design is None:
        build, problem, kept, _ = built(key)
        found = solve_design(rebased(derated(problem, derating), basis), objective)
        tried.append(key)
        if not found["outcome"].optimal or found["design"].pattern == key:
            break
        key = found["design"].pattern
        if key in tried:   # the choice cycles: each evaluated pattern on its own yields, pattern fixed
            best = None
            for p in dict.fromkeys(k for k in tried if k is not None):
                build_p, problem_p, kept_p, _ = built(p)
                fixed = solve_design(rebased(derated(problem_p, derating), basis), objective, pattern=p)
                if fixed["outcome"].optimal and (best is None or _better(fixed, best[3], objective)):
                    best = (build_p, problem_p, kept_p, fixed)
            if best is not None:
                build, problem, kept, found = best
            break
    chosen = found["design"].pattern if found["outcome"].optimal else None
    calendar = {
        "yields_evaluated_on": [first_build.problem.shift_patterns[k].label if k is not None
                                else "the scenario's own calendar" for k in dict.fromkeys(tried)],
        "consistent": chosen is not None and builds.get(chosen, (None,))[0] is build,
    }
    return build, rebased(derated(problem, derating), basis), kept, found, calendar


__all__ = ["calendar_consistent_solve"]
