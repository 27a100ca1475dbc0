"""Pareto fronts by the epsilon-constraint method: cost vs output, and cost vs quality margin.

One model is built and re-solved with a moving bound (persistent HiGHS reuses it): each point is the
cheapest line that makes at least the given output, or whose every chosen recipe keeps at least the
given relative margin to its specs.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyomo.environ as pyo

from twin.optimise.model import fix_inputs
from twin.optimise.problem import OptimisationProblem
from twin.optimise.solve import extract_results, make_solver, solve


def _point(m, outcome, problem: OptimisationProblem, **figures) -> dict:
    if not outcome.optimal:
        return {**figures, "status": outcome.termination}
    design = extract_results(m, outcome)
    kwh = design.output_GWh_per_year * 1e6
    return {
        **figures,
        "status": "optimal",
        "output_GWh_per_year": design.output_GWh_per_year,
        "annual_cost_usd": design.annual_cost_usd,
        "usd_per_kwh": design.annual_cost_usd / kwh if kwh else None,
        "capex_usd": design.capex_usd,
        "recipes": {g.name: g.recipes[c] for g, c in zip(problem.groups, design.choice, strict=False)},
        "machines": {s.step_name: int(n) for s, n in zip(problem.stages, design.machines, strict=False)},
        "sizes": {s.step_name: s.sizes[z].size for s, z in zip(problem.stages, design.sizes or [], strict=False)
                  if z is not None},
        "quality_margin": min(
            (float(g.quality_margin[c]) for g, c in zip(problem.groups, design.choice, strict=False)),
            default=None,
        ),
    }


def max_output_GWh(m, inputs: dict) -> float | None:
    """The most output the line can make within the machine limits and caps (None if nothing is feasible)."""
    fix_inputs(m, "max_output", **{**inputs, "target_output_GWh": None})
    outcome = solve(m, make_solver())
    return float(pyo.value(m.output_GWh)) if outcome.optimal else None


def output_front(m, inputs: dict, points: int, progress: Callable[[float], None] | None = None) -> list[dict]:
    """Cheapest line at evenly spaced outputs up to the most the line can make."""
    problem: OptimisationProblem = m.problem
    top = max_output_GWh(m, inputs)
    if not top:
        return []
    front = []
    solver = make_solver()
    for k, output in enumerate(np.linspace(top / points, top, points)):
        fix_inputs(m, "min_cost", **{**inputs, "target_output_GWh": float(output) * (1 - 1e-9)})
        front.append(_point(m, solve(m, solver), problem, target_output_GWh_per_year=float(output)))
        if progress is not None:
            progress((k + 1) / points)
    return front


def quality_front(
    m, inputs: dict, points: int, progress: Callable[[float], None] | None = None
) -> list[dict]:
    """Cheapest line at the target for evenly spaced required quality margins up to the best recipes'."""
    problem: OptimisationProblem = m.problem
    if not problem.groups:
        return []
    low = inputs.get("min_quality_margin", 0.0)
    if not math.isfinite(low):   # no floor asked: from the worst margin any recipe has (every recipe allowed)
        margins = [np.asarray(g.quality_margin, dtype=float) for g in problem.groups]
        finite = [float(np.min(each[np.isfinite(each)])) for each in margins if np.isfinite(each).any()]
        low = min(finite) if finite else 0.0
    high = min(float(np.max(g.quality_margin)) for g in problem.groups)
    if high < low:
        return []
    front = []
    solver = make_solver()
    for k, margin in enumerate(np.linspace(low, high, points)):
        fix_inputs(m, "min_cost", **{**inputs, "min_quality_margin": float(margin)})
        front.append(_point(m, solve(m, solver), problem, required_quality_margin=float(margin)))
        if progress is not None:
            progress((k + 1) / points)
    return front


__all__ = ["max_output_GWh", "output_front", "quality_front"]
