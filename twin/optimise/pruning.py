"""Drop recipe candidates that another candidate beats on every count (exact pre-solve reduction).

Per unit of good output leaving a group's span (sheets leaving it x the candidate's piece factor: good cell
pieces, as the MILP counts its output), candidate d is at least as good as c when it needs no
more sheets entering the span, no more machine-hours at any span station, no more variable cost or
energy, and has no smaller quality margin. Then any design using c is matched or beaten by the same
design with d, whatever the objective, target or caps, so removing c cannot change the optimum.
"""

from __future__ import annotations

import numpy as np

from twin.optimise.problem import DecisionGroup, OptimisationProblem, StageData


def _criteria(problem: OptimisationProblem, g: int) -> np.ndarray:
    """(candidates, criteria), lower is better in every column."""
    group = problem.groups[g]
    first, last = group.span
    k = group.candidates
    reach = np.ones(k)
    columns: list[np.ndarray] = []
    variable = np.zeros(k)
    energy = np.zeros(k)
    hours = []
    by_size: list[np.ndarray] = []
    for j in range(first, last + 1):
        stage = problem.stages[j]
        hours.append(stage.machine_hours_per_sheet * reach)
        variable += stage.variable_cost_usd_per_sheet * reach
        energy += stage.energy_kWh_per_sheet * reach
        # a station with sizes: each size's machine time, variable cost and energy count on their own
        for size in stage.sizes:
            by_size += [size.machine_hours_per_sheet * reach, size.variable_cost_usd_per_sheet * reach,
                        size.energy_kWh_per_sheet * reach]
        reach = reach * stage.yield_fraction
    good = reach * group.piece_factors()   # good pieces leaving the span per sheet entering it (baseline units)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(good > 0, good, np.nan)
        columns.append(1.0 / out)
        columns.extend(h / out for h in hours)
        columns.extend(c / out for c in by_size)
        columns.append(variable / out)
        columns.append(energy / out)
    columns.append(-np.asarray(group.quality_margin, dtype=float))
    table = np.column_stack(columns)
    return np.where(np.isnan(table), np.inf, table)


def non_dominated(table: np.ndarray, rel_tol: float = 1e-12) -> np.ndarray:
    """Indices of rows no other row dominates (of identical rows the first is kept).

    Rows are visited in lexicographic order, so every row's dominators come before it and each row is
    compared only with the front found so far (a skyline sweep, fast when the front is small). Rows
    whose first column is infinite (no good sheet) are dropped unless every row is so.
    """
    k = table.shape[0]
    finite_rows = np.isfinite(table[:, 0])
    rows = np.flatnonzero(finite_rows) if finite_rows.any() else np.arange(k)
    order = rows[np.lexsort(table[rows].T[::-1])]
    front: list[int] = []
    front_table = np.empty((0, table.shape[1]))
    for index in order:
        row = table[index]
        slack = rel_tol * np.abs(np.where(np.isfinite(row), row, 0.0))
        if front and np.any(np.all(front_table <= row + slack, axis=1)):
            continue  # matched or beaten on every count by a row already on the front
        front.append(int(index))
        front_table = np.vstack([front_table, row])
    return np.array(sorted(front), dtype=int)


def prune_problem(problem: OptimisationProblem) -> tuple[OptimisationProblem, list[np.ndarray]]:
    """The problem restricted to the non-dominated candidates, and the kept indices per group."""
    kept = []
    for g, group in enumerate(problem.groups):
        # recipes below the required quality margin can never be chosen (every objective only raises
        # the margin), so they leave before the dominance sweep
        usable = np.flatnonzero(np.asarray(group.quality_margin) >= problem.min_quality_margin)
        if usable.size == 0:
            usable = np.arange(group.candidates)  # keep them: the infeasibility diagnosis needs them
        kept.append(usable[non_dominated(_criteria(problem, g)[usable])])
    stages = []
    for stage in problem.stages:
        if stage.group is None:
            stages.append(stage)
            continue
        idx = kept[stage.group]
        stages.append(
            StageData(
                step_name=stage.step_name,
                group=stage.group,
                yield_fraction=stage.yield_fraction[idx],
                machine_hours_per_sheet=stage.machine_hours_per_sheet[idx],
                variable_cost_usd_per_sheet=stage.variable_cost_usd_per_sheet[idx],
                energy_kWh_per_sheet=stage.energy_kWh_per_sheet[idx],
                fixed_cost_usd_per_machine_year=stage.fixed_cost_usd_per_machine_year,
                capex_usd_per_machine=stage.capex_usd_per_machine,
                floor_area_m2_per_machine=stage.floor_area_m2_per_machine,
                max_machines=stage.max_machines,
                energy_kWh_per_machine_year=stage.energy_kWh_per_machine_year,
                sizes=[size.selected(idx) for size in stage.sizes],
            )
        )
    groups = [
        DecisionGroup(
            name=g.name,
            step_names=g.step_names,
            span=g.span,
            recipes=[g.recipes[i] for i in idx],
            quality_margin=np.asarray(g.quality_margin)[idx],
            quality_means={key: v[idx] for key, v in g.quality_means.items()},
            piece_factor=None if g.piece_factor is None else np.asarray(g.piece_factor)[idx],
        )
        for g, idx in zip(problem.groups, kept, strict=False)
    ]
    reduced = OptimisationProblem(**{**problem.__dict__, "stages": stages, "groups": groups})
    return reduced, kept


__all__ = ["non_dominated", "prune_problem"]
