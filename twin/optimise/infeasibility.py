"""Say which constraint group makes a line-design problem infeasible, and by how much.

Each group is relaxed on its own while all the others stay: if the problem becomes feasible, that
group is (one) cause, and the relaxed solve measures how far the limit is from what is reachable
(the elastic figure): the most output the line can make, the least capex, energy or floor area the
target needs, the machines a station would need.
"""

from __future__ import annotations

import math

import numpy as np
import pyomo.environ as pyo

from twin.optimise.model import fix_inputs
from twin.optimise.problem import OptimisationProblem
from twin.optimise.solve import make_solver, solve

# Machine ceiling used when the per-station limit is relaxed: the schema's own upper bound.
RELAXED_MAX_MACHINES = 500


def _with_objective(m: pyo.ConcreteModel, expression, sense) -> pyo.Objective:
    for objective in (m.min_cost, m.max_output):
        objective.deactivate()
    m.diagnosis_objective = pyo.Objective(expr=expression, sense=sense)
    return m.diagnosis_objective


def _clear(m: pyo.ConcreteModel) -> None:
    if hasattr(m, "diagnosis_objective"):
        m.del_component(m.diagnosis_objective)


def diagnose_infeasibility(m: pyo.ConcreteModel, objective: str, inputs: dict) -> list[dict]:
    """Relax each constraint group in turn; return one entry per group that restores feasibility.

    ``inputs`` are the keyword arguments of the failed ``fix_inputs`` call. The model is restored to
    that state before returning.
    """
    problem: OptimisationProblem = m.problem
    findings: list[dict] = []

    def attempt(group: str, relaxed_inputs: dict, expression, sense, describe) -> None:
        fix_inputs(m, objective, **relaxed_inputs)
        _with_objective(m, expression, sense)
        outcome = solve(m, make_solver())
        if outcome.optimal:
            findings.append({"constraint_group": group, "detail": describe()})
        _clear(m)

    target = inputs.get("target_output_GWh")
    if target is not None:
        attempt(
            "output_target",
            {**inputs, "target_output_GWh": None},
            m.output_GWh,
            pyo.maximize,
            lambda: (
                f"at most {pyo.value(m.output_GWh):.4g} GWh/yr is reachable within the other limits "
                f"(target {target:.4g} GWh/yr)"
            ),
        )
    for group, key, expression, unit in (
        ("capex_budget", "capex_budget_usd", m.capex_usd, "usd capex"),
        ("energy_cap", "energy_cap_MWh", m.energy_MWh, "MWh/yr of energy"),
        ("floor_area_cap", "floor_area_cap_m2", m.floor_area_m2, "m2 of floor area"),
    ):
        limit = inputs.get(key)
        if limit is not None:
            attempt(
                group,
                {**inputs, key: None},
                expression,
                pyo.minimize,
                lambda expression=expression, unit=unit, limit=limit: (
                    f"needs at least {pyo.value(expression):.4g} {unit} (limit {limit:.4g})"
                ),
            )
    if inputs.get("max_annual_cost_usd") is not None:
        attempt(
            "annual_cost_cap",
            {**inputs, "max_annual_cost_usd": None},
            m.annual_cost_usd,
            pyo.minimize,
            lambda: (
                f"needs at least {pyo.value(m.annual_cost_usd):.4g} usd/yr "
                f"(limit {inputs['max_annual_cost_usd']:.4g})"
            ),
        )

    required_margin = inputs.get("min_quality_margin", 0.0)
    best_margins = {g.name: float(np.max(g.quality_margin)) for g in problem.groups}
    short = {name: margin for name, margin in best_margins.items() if margin < required_margin}
    if short or not findings:
        relaxed = {**inputs, "min_quality_margin": -np.inf}
        attempt(
            "quality_specs",
            relaxed,
            m.annual_cost_usd,
            pyo.minimize,
            lambda: (
                "feasible only with recipes whose worst 1 % of sheets lies outside a spec; best margin per "
                "group: " + ", ".join(f"{name} {margin:+.3f}" for name, margin in best_margins.items())
                + (f" (required {required_margin:+.3f})" if math.isfinite(required_margin) else "")
            ),
        )

    saved_bounds = {key: var.ub for key, var in m.machines.items()}
    saved_sized = {key: var.ub for key, var in m.sized_machines.items()}
    saved_limits = {key: pyo.value(param) for key, param in m.flow_limit.items()}
    saved_size_limits = {key: pyo.value(param) for key, param in m.size_flow_limit.items()}
    for var in m.machines.values():
        var.setub(RELAXED_MAX_MACHINES)
    for var in m.sized_machines.values():
        var.setub(RELAXED_MAX_MACHINES)
    for (i, z, k), param in m.size_flow_limit.items():
        param.set_value(saved_size_limits[i, z, k] * RELAXED_MAX_MACHINES / max(problem.stages[i].max_machines, 1))
    for (i, k), param in m.flow_limit.items():
        param.set_value(saved_limits[i, k] * RELAXED_MAX_MACHINES / max(problem.stages[i].max_machines, 1))
        m.flow[i, k].setub(pyo.value(param))
    saved_output_limit = pyo.value(m.output_limit) if hasattr(m, "output_limit") else None
    if saved_output_limit is not None:  # the big-M of the piece-factor scaled output grows with the flows
        m.output_limit.set_value(saved_output_limit * RELAXED_MAX_MACHINES
                                 / max(min(s.max_machines for s in problem.stages), 1))
    saved_link = [con for con in m.machines_on_pattern.values()] + [con for con in m.machines_need_size.values()]
    for con in saved_link:
        con.deactivate()

    def machines_needed() -> str:
        over = []
        for i, stage in enumerate(problem.stages):
            count = max(round(pyo.value(m.machines[i, p])) for p in range(len(problem.shift_patterns)))
            if count > stage.max_machines:
                over.append(f"{stage.step_name} needs {count} (limit {stage.max_machines})")
        return "; ".join(over) or "more machines than the per-station limit"

    attempt("machine_limits", inputs, m.annual_cost_usd, pyo.minimize, machines_needed)
    for con in saved_link:
        con.activate()
    for key, var in m.machines.items():
        var.setub(saved_bounds[key])
    for key, var in m.sized_machines.items():
        var.setub(saved_sized[key])
    for key, param in m.size_flow_limit.items():
        param.set_value(saved_size_limits[key])
    for key, param in m.flow_limit.items():
        param.set_value(saved_limits[key])
        m.flow[key].setub(saved_limits[key])
    if saved_output_limit is not None:
        m.output_limit.set_value(saved_output_limit)
    fix_inputs(m, objective, **inputs)
    return findings


__all__ = ["diagnose_infeasibility"]
