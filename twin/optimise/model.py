"""The line-design MILP in Pyomo: build, then fix the inputs of one solve (IDAES style).

Decisions: one recipe candidate per decision group (binary ``choose``), one shift pattern (binary
``pattern``), machines per station and pattern (integer ``machines``), and the sheet flow through
every (route step, candidate) pair (``flow``, thousands of sheets a year). Within a group's span the
flow of candidate c is carried step by step with candidate c's yields, so the yield cascade is linear
and exact; only the flow entering the span is tied to ``choose`` (big-M from the stations' largest
possible capacity). Cost, capex, energy and floor area are linear in machines and flows.

A station that offers machine sizes (``StageData.sizes``) gets one binary ``size_choice`` per size (one
size per station), integer ``sized_machines`` per size and pattern (``machines`` is their sum), and its
entering flow split over the sizes (``size_flow``, only the chosen size may carry it): capacity, cost,
capex, energy and floor are then each size's own figures times its machines and flow, exactly.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pyomo.environ as pyo

from twin.optimise.problem import OptimisationProblem

# Flows are carried in thousands of sheets a year so that flows, costs and big-M stay within a few
# orders of magnitude of each other (HiGHS tolerances are absolute around 1e-6..1e-7).
SHEETS_PER_FLOW_UNIT = 1000.0
OBJECTIVES = ("min_cost", "max_output")


def _flow_bounds(problem: OptimisationProblem) -> dict[tuple[int, int], float]:
    """Largest flow (flow units) any design could send into each (step, candidate): big-M values."""
    longest_year_h = max(p.hours_per_year for p in problem.shift_patterns)
    bounds: dict[tuple[int, int], float] = {}
    for i, stage in enumerate(problem.stages):
        for k in range(stage.candidates):
            tau = stage.machine_hours_per_sheet[k]
            limit = stage.max_machines * longest_year_h / tau if tau > 0 else math.inf
            bounds[i, k] = limit / SHEETS_PER_FLOW_UNIT
    # a span's entry flow is also limited by every later station in the span, scaled by the yields between
    for _group_index, group in enumerate(problem.groups):
        first, last = group.span
        for k in range(group.candidates):
            reach = 1.0
            for j in range(first, last + 1):
                if reach > 0:
                    bounds[first, k] = min(bounds[first, k], bounds[j, k] / reach)
                reach *= problem.stages[j].yield_fraction[k]
    finite = [b for b in bounds.values() if math.isfinite(b)]
    fallback = 10.0 * max(finite) if finite else 1e9
    return {key: (b if math.isfinite(b) else fallback) for key, b in bounds.items()}


def build_model(problem: OptimisationProblem) -> pyo.ConcreteModel:
    """The MILP with every constraint group; inputs (target, budget, caps, quality) are mutable params."""
    m = pyo.ConcreteModel(name="ssb_line_design")
    stages = problem.stages
    n_stages = len(stages)
    n_patterns = len(problem.shift_patterns)
    m.problem = problem  # kept for extraction; Pyomo ignores plain attributes
    m.STAGES = pyo.RangeSet(0, n_stages - 1)
    m.PATTERNS = pyo.RangeSet(0, n_patterns - 1)
    m.CHOICES = pyo.Set(
        dimen=2, initialize=[(g, c) for g, grp in enumerate(problem.groups) for c in range(grp.candidates)]
    )
    m.STATION_PATTERNS = pyo.Set(
        dimen=2, initialize=[(i, p) for i in range(n_stages) for p in range(n_patterns)]
    )

    bounds = _flow_bounds(problem)
    # Flow variables exist only where sheets can take a new route: at every step outside a span, and per
    # candidate where a span starts. Inside a span the flow of candidate c at step j is the entry flow
    # times the product of c's yields before j (one flow per (step, candidate), substituted out: exact,
    # and four times fewer rows for a four-step span).
    entry = [i if s.group is None else problem.groups[s.group].span[0] for i, s in enumerate(stages)]
    reach: list[np.ndarray] = []
    for i, stage in enumerate(stages):
        if stage.group is None or i == entry[i]:
            reach.append(np.ones(stage.candidates))
        else:
            reach.append(reach[i - 1] * stages[i - 1].yield_fraction)
    roots = [(i, k) for i, s in enumerate(stages) if entry[i] == i for k in range(s.candidates)]
    m.FLOWS = pyo.Set(dimen=2, initialize=roots)
    m.flow = pyo.Var(m.FLOWS, within=pyo.NonNegativeReals, bounds=lambda _m, i, k: (0.0, bounds[i, k]))
    # mutable, so that the infeasibility diagnosis can lift the machine limits the big-M derives from
    m.flow_limit = pyo.Param(m.FLOWS, mutable=True, initialize={key: bounds[key] for key in roots})
    m.choose = pyo.Var(m.CHOICES, within=pyo.Binary)
    m.pattern = pyo.Var(m.PATTERNS, within=pyo.Binary)
    m.machines = pyo.Var(
        m.STATION_PATTERNS,
        within=pyo.NonNegativeIntegers,
        bounds=lambda _m, i, p: (0, stages[i].max_machines),
    )

    _add_sizes(m, problem, bounds, entry, reach)

    m.target_output_GWh = pyo.Param(mutable=True, initialize=problem.target_output_GWh_per_year)
    m.capex_budget_usd = pyo.Param(mutable=True, initialize=problem.capex_budget_usd or 0.0)
    m.energy_cap_MWh = pyo.Param(mutable=True, initialize=problem.energy_cap_MWh_per_year or 0.0)
    m.floor_area_cap_m2 = pyo.Param(mutable=True, initialize=problem.floor_area_cap_m2 or 0.0)

    def weighted(i: int, weights) -> object:
        """sum_k weights[k] x (sheets entering step i via candidate k), in flow units."""
        coefficients = np.asarray(weights, dtype=float) * reach[i]
        return pyo.quicksum(float(c) * m.flow[entry[i], k] for k, c in enumerate(coefficients) if c != 0.0)

    def sized_sum(i: int, z: int, weights) -> object:
        return sized_flow_sum(m, i, z, weights)

    m.sheets_in = pyo.Expression(m.STAGES, rule=lambda _m, i: weighted(i, np.ones(stages[i].candidates)))
    m.sheets_out = pyo.Expression(m.STAGES, rule=lambda _m, i: weighted(i, stages[i].yield_fraction))

    # -- recipe and pattern choice
    m.one_recipe = pyo.Constraint(
        range(len(problem.groups)),
        rule=lambda _m, g: sum(m.choose[g, c] for c in range(problem.groups[g].candidates)) == 1,
    )
    m.one_pattern = pyo.Constraint(expr=sum(m.pattern[p] for p in m.PATTERNS) == 1)
    m.machines_on_pattern = pyo.Constraint(
        m.STATION_PATTERNS, rule=lambda _m, i, p: m.machines[i, p] <= stages[i].max_machines * m.pattern[p]
    )

    # -- sheet flow: pooled between spans, tied to the chosen recipe where a span starts
    balance_pooled = [i for i in range(1, n_stages) if entry[i] == i]
    entry_links = [
        (group.span[0], g, c) for g, group in enumerate(problem.groups) for c in range(group.candidates)
    ]
    m.flow_pooled = pyo.Constraint(
        pyo.Set(initialize=balance_pooled), rule=lambda _m, i: m.sheets_in[i] == m.sheets_out[i - 1]
    )
    m.flow_needs_recipe = pyo.Constraint(
        pyo.Set(dimen=3, initialize=entry_links),
        rule=lambda _m, i, g, c: m.flow[i, c] <= m.flow_limit[i, c] * m.choose[g, c],
    )

    # -- station capacity: machine-hours needed <= machine-hours scheduled
    hours = [p.hours_per_year for p in problem.shift_patterns]
    m.capacity = pyo.Constraint(
        m.STAGES,
        rule=lambda _m, i: (
            weighted(i, stages[i].machine_hours_per_sheet * SHEETS_PER_FLOW_UNIT)
            <= sum(hours[p] * m.machines[i, p] for p in m.PATTERNS)
        ) if not stages[i].sizes else pyo.Constraint.Skip,
    )
    m.sized_capacity = pyo.Constraint(
        m.SIZES,
        rule=lambda _m, i, z: (
            sized_sum(i, z, stages[i].sizes[z].machine_hours_per_sheet * SHEETS_PER_FLOW_UNIT)
            <= sum(hours[p] * m.sized_machines[i, z, p] for p in m.PATTERNS)
        ),
    )

    # -- figures of merit
    _add_output(m, problem, bounds, weighted)
    def per_machine(i: int, p: int, figure) -> object:
        """figure(stage or size) x machines of station i on pattern p, size by size where it has sizes."""
        if not stages[i].sizes:
            return float(figure(stages[i])) * m.machines[i, p]
        return pyo.quicksum(float(figure(size)) * m.sized_machines[i, z, p] for z, size in enumerate(stages[i].sizes))

    def per_sheet(i: int, figure) -> object:
        """sum over candidates (and sizes) of figure per sheet x sheets entering station i."""
        if not stages[i].sizes:
            return weighted(i, figure(stages[i]) * SHEETS_PER_FLOW_UNIT)
        return pyo.quicksum(sized_sum(i, z, figure(size) * SHEETS_PER_FLOW_UNIT)
                            for z, size in enumerate(stages[i].sizes))

    m.fixed_cost_usd = pyo.Expression(
        expr=sum(per_machine(i, p, lambda s, p=p: s.fixed_cost_usd_per_machine_year[p]) for i, p in m.STATION_PATTERNS)
        + sum(float(problem.plant_fixed_usd_per_year[p]) * m.pattern[p] for p in m.PATTERNS)
    )
    m.variable_cost_usd = pyo.Expression(
        expr=sum(per_sheet(i, lambda s: s.variable_cost_usd_per_sheet) for i in range(n_stages))
    )
    m.annual_cost_usd = pyo.Expression(expr=m.fixed_cost_usd + m.variable_cost_usd)
    m.capex_usd = pyo.Expression(
        expr=problem.plant_capex_usd
        + sum(per_machine(i, p, lambda s: s.capex_usd_per_machine) for i, p in m.STATION_PATTERNS)
    )
    m.energy_MWh = pyo.Expression(
        expr=sum(per_sheet(i, lambda s: s.energy_kWh_per_sheet / 1e3) for i in range(n_stages))
        + sum(per_machine(i, p, lambda s, p=p: 0.0 if s.energy_kWh_per_machine_year is None
                          else s.energy_kWh_per_machine_year[p] / 1e3) for i, p in m.STATION_PATTERNS)
    )
    m.floor_area_m2 = pyo.Expression(
        expr=sum(per_machine(i, p, lambda s: s.floor_area_m2_per_machine) for i, p in m.STATION_PATTERNS)
    )

    # -- constraint groups that fix_inputs switches on and off
    m.output_target = pyo.Constraint(expr=m.output_GWh >= m.target_output_GWh)
    m.output_target_pooled = pyo.Constraint(expr=m.output_pooled_bound_GWh >= m.target_output_GWh)
    m.capex_budget = pyo.Constraint(expr=m.capex_usd <= m.capex_budget_usd)
    m.energy_cap = pyo.Constraint(expr=m.energy_MWh <= m.energy_cap_MWh)
    m.floor_area_cap = pyo.Constraint(expr=m.floor_area_m2 <= m.floor_area_cap_m2)

    m.min_cost = pyo.Objective(expr=m.annual_cost_usd, sense=pyo.minimize)
    m.max_output = pyo.Objective(expr=m.output_GWh, sense=pyo.maximize)
    return m


def _add_output(m: pyo.ConcreteModel, problem: OptimisationProblem, bounds: dict, weighted) -> None:
    """``m.output_GWh``: delivered GWh/yr, each chosen candidate's piece factor included (DecisionGroup.piece_factor).

    Sheets leaving the line x kWh per good sheet (baseline) x the chosen candidates' piece factors. The factor
    of the last group with a choice left is exact and linear: its candidates' flows leaving its span are
    weighted by their own factor (later stations have one candidate each: fixed yields, and a later group's
    one factor is a constant). Every other group with a choice and factors scales that output through
    ``output_GWh``, a variable held below factor x output for the chosen candidate(s) (big-M on ``choose``,
    one row per combination of their candidates): exact, as the objective and the target only ever push it
    up. ``m.output_exact_GWh`` is the output before those factors.
    """
    stages, groups = problem.stages, problem.groups
    last_stage = len(stages) - 1
    kwh_per_unit = problem.kWh_per_good_sheet * SHEETS_PER_FLOW_UNIT / 1e6
    if not groups:
        m.output_exact_GWh = pyo.Expression(expr=m.sheets_out[last_stage] * kwh_per_unit)
        m.output_GWh = pyo.Expression(expr=m.output_exact_GWh.expr)
        m.output_pooled_bound_GWh = pyo.Expression(expr=m.output_exact_GWh.expr)
        m.scaled_output_groups = []
        return
    # the exact group: the last one with a choice left (after it every station has one candidate, so fixed
    # yields; a later group's single candidate's factor is a constant)
    by_end = sorted(range(len(groups)), key=lambda g: groups[g].span[1])
    exact = next((g for g in reversed(by_end) if groups[g].candidates > 1), by_end[-1])
    end = groups[exact].span[1]
    later_yield = float(np.prod([stages[j].yield_fraction[0] for j in range(end + 1, len(stages))]))
    constant_factor = float(np.prod([groups[g].piece_factors()[0] for g in range(len(groups))
                                     if g != exact and groups[g].candidates == 1]))
    after = later_yield * constant_factor
    factor = groups[exact].piece_factors()
    m.output_exact_GWh = pyo.Expression(
        expr=weighted(end, stages[end].yield_fraction * factor) * (after * kwh_per_unit))
    scaled = [g for g in range(len(groups))
              if g != exact and groups[g].candidates > 1 and groups[g].piece_factor is not None]
    m.scaled_output_groups = scaled
    # implied by the output target, on the pooled flow leaving the line (as before per-candidate pieces): the
    # good pieces per sheet are at most the largest factors' (gigafactory: the solve took 6.0 s CPU without it, 4.2 s
    # with it, 3.7 s before per-candidate pieces)
    largest_factor = max(float(np.max(factor)), 0.0) * float(np.prod(
        [max(float(np.max(groups[g].piece_factors())), 0.0) for g in scaled]))
    m.output_pooled_bound_GWh = pyo.Expression(
        expr=m.sheets_out[last_stage] * (kwh_per_unit * constant_factor * largest_factor))
    if not scaled:
        m.output_GWh = pyo.Expression(expr=m.output_exact_GWh.expr)
        return
    # the most output any design could make: the largest flow leaving the exact group's span, scaled up
    first = groups[exact].span[0]
    reach_end = np.ones(groups[exact].candidates)
    for j in range(first, end + 1):
        reach_end = reach_end * stages[j].yield_fraction
    largest = max(bounds[first, k] * reach_end[k] * max(factor[k], 0.0) for k in range(groups[exact].candidates))
    largest *= after * kwh_per_unit
    for g in scaled:
        largest *= max(1.0, float(np.max(groups[g].piece_factors())))
    # mutable, so that the infeasibility diagnosis can lift it with the machine limits it derives from
    m.output_limit = pyo.Param(mutable=True, initialize=max(largest, 1e-9) * (1.0 + 1e-6))
    m.output_GWh = pyo.Var(within=pyo.NonNegativeReals)
    combinations = list(itertools.product(*(range(groups[g].candidates) for g in scaled)))

    def held(_m, r):
        combo = combinations[r]
        scale = float(np.prod([groups[g].piece_factors()[c] for g, c in zip(scaled, combo, strict=True)]))
        off = len(scaled) - sum(m.choose[g, c] for g, c in zip(scaled, combo, strict=True))
        return m.output_GWh <= scale * m.output_exact_GWh + m.output_limit * off

    m.output_scaled = pyo.Constraint(range(len(combinations)), rule=held)


def design_output_GWh(m: pyo.ConcreteModel, choice: list[int]) -> float:
    """The output of the solved design: ``output_exact_GWh`` x the piece factors of the scaled groups' choices
    (``output_GWh`` itself, a variable, may sit anywhere between the target and that)."""
    problem: OptimisationProblem = m.problem
    scale = float(np.prod([problem.groups[g].piece_factors()[choice[g]] for g in m.scaled_output_groups]))
    return float(pyo.value(m.output_exact_GWh)) * scale


def _add_sizes(m: pyo.ConcreteModel, problem: OptimisationProblem, bounds: dict, entry: list[int],
               reach: list[np.ndarray]) -> None:
    """Size choice of the stations that offer sizes (see the module docstring); none added without sizes."""
    stages = problem.stages
    sized = [(i, z) for i, s in enumerate(stages) for z in range(len(s.sizes))]
    m.SIZES = pyo.Set(dimen=2, initialize=sized)
    m.SIZE_PATTERNS = pyo.Set(dimen=3, initialize=[(i, z, p) for i, z in sized for p in m.PATTERNS])
    m.SIZE_FLOWS = pyo.Set(dimen=3, initialize=[(i, z, k) for i, z in sized for k in range(stages[i].candidates)])
    m.SIZED_STATIONS = pyo.Set(initialize=sorted({i for i, _z in sized}))
    m.size_choice = pyo.Var(m.SIZES, within=pyo.Binary)
    m.sized_machines = pyo.Var(m.SIZE_PATTERNS, within=pyo.NonNegativeIntegers,
                               bounds=lambda _m, i, z, p: (0, stages[i].max_machines))
    # a size's flow is bounded by the most its station could ever take (mutable: the infeasibility
    # diagnosis lifts it with the machine limits)
    m.size_flow_limit = pyo.Param(m.SIZE_FLOWS, mutable=True,
                                  initialize={(i, z, k): bounds[entry[i], k] * float(reach[i][k])
                                              for i, z, k in m.SIZE_FLOWS})
    m.size_flow = pyo.Var(m.SIZE_FLOWS, within=pyo.NonNegativeReals)
    m.one_size = pyo.Constraint(m.SIZED_STATIONS,
                                rule=lambda _m, i: sum(m.size_choice[i, z] for z in range(len(stages[i].sizes))) == 1)
    m.machines_of_sizes = pyo.Constraint(
        pyo.Set(dimen=2, initialize=[(i, p) for i in m.SIZED_STATIONS for p in m.PATTERNS]),
        rule=lambda _m, i, p: m.machines[i, p] == sum(m.sized_machines[i, z, p] for z in range(len(stages[i].sizes))))
    m.machines_need_size = pyo.Constraint(
        m.SIZE_PATTERNS,
        rule=lambda _m, i, z, p: m.sized_machines[i, z, p] <= stages[i].max_machines * m.size_choice[i, z])
    m.flow_split = pyo.Constraint(
        pyo.Set(dimen=2, initialize=[(i, k) for i in m.SIZED_STATIONS for k in range(stages[i].candidates)]),
        rule=lambda _m, i, k: sum(m.size_flow[i, z, k] for z in range(len(stages[i].sizes)))
        == float(reach[i][k]) * m.flow[entry[i], k])
    m.flow_needs_size = pyo.Constraint(
        m.SIZE_FLOWS, rule=lambda _m, i, z, k: m.size_flow[i, z, k] <= m.size_flow_limit[i, z, k] * m.size_choice[i, z])


def sized_flow_sum(m: pyo.ConcreteModel, i: int, z: int, weights) -> object:
    """sum_k weights[k] x (sheets entering station i on size z via candidate k), in flow units."""
    return pyo.quicksum(float(c) * m.size_flow[i, z, k] for k, c in enumerate(np.asarray(weights, dtype=float))
                        if c != 0.0)


def fix_inputs(
    m: pyo.ConcreteModel,
    objective: str = "min_cost",
    *,
    target_output_GWh: float | None = None,
    capex_budget_usd: float | None = None,
    energy_cap_MWh: float | None = None,
    floor_area_cap_m2: float | None = None,
    min_quality_margin: float = 0.0,
    max_annual_cost_usd: float | None = None,
) -> None:
    """Set what one solve asks: the objective, the target, the caps and the quality margin.

    A cap given as ``None`` is switched off. Recipes whose worst 1 % sheet lies less than ``min_quality_margin``
    (relative) inside a spec are fixed out (``choose = 0``), the others are freed (-inf: all of them).
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective: {objective!r} is not one of {', '.join(OBJECTIVES)}")
    problem: OptimisationProblem = m.problem
    m.min_cost.activate() if objective == "min_cost" else m.min_cost.deactivate()
    m.max_output.activate() if objective == "max_output" else m.max_output.deactivate()
    for constraint, param, value in (
        (m.output_target, m.target_output_GWh, target_output_GWh),
        (m.capex_budget, m.capex_budget_usd, capex_budget_usd),
        (m.energy_cap, m.energy_cap_MWh, energy_cap_MWh),
        (m.floor_area_cap, m.floor_area_cap_m2, floor_area_cap_m2),
    ):
        # the output target's implied bound on the pooled flow (_add_output) goes with it
        constraints = (constraint, m.output_target_pooled) if constraint is m.output_target else (constraint,)
        if value is None:
            for each in constraints:
                each.deactivate()
        else:
            param.set_value(float(value))
            for each in constraints:
                each.activate()
    if hasattr(m, "annual_cost_cap"):
        m.del_component(m.annual_cost_cap)
    if max_annual_cost_usd is not None:
        m.annual_cost_cap = pyo.Constraint(expr=m.annual_cost_usd <= float(max_annual_cost_usd))
    for g, group in enumerate(problem.groups):
        allowed = np.asarray(group.quality_margin) >= min_quality_margin
        for c in range(group.candidates):
            if allowed[c]:
                m.choose[g, c].unfix()
            else:
                m.choose[g, c].fix(0)
    if len(problem.shift_patterns) == 1:
        m.pattern[0].fix(1)


__all__ = ["OBJECTIVES", "SHEETS_PER_FLOW_UNIT", "build_model", "design_output_GWh", "fix_inputs"]
