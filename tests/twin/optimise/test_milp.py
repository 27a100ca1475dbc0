"""The MILP against exhaustive enumeration, and its monotonicity, on hand-made problems (no physics)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from twin.optimise.model import build_model, fix_inputs
from twin.optimise.problem import design_figures
from twin.optimise.pruning import non_dominated, prune_problem
from twin.optimise.solve import NotOptimalError, extract_results, shadow_prices, solve

pytestmark = pytest.mark.unit


def enumerate_best(problem, target_GWh):
    """Cheapest feasible design by trying every recipe combination and shift pattern."""
    best = None
    ranges = [range(g.candidates) for g in problem.groups] + [range(len(problem.shift_patterns))]
    for combo in itertools.product(*ranges):
        figures = design_figures(problem, list(combo[:-1]), combo[-1], target_GWh)
        if figures.feasible and (best is None or figures.annual_cost_usd < best.annual_cost_usd):
            best = figures
    return best


def milp_best(problem, target_GWh, **caps):
    m = build_model(problem)
    caps.setdefault("min_quality_margin", problem.min_quality_margin)
    fix_inputs(m, target_output_GWh=target_GWh, **caps)
    outcome = solve(m)
    return m, outcome


@pytest.mark.parametrize("seed", range(8))
def test_milp_optimum_equals_exhaustive_enumeration(seed, make_problem):
    problem = make_problem(np.random.default_rng(seed), target_GWh=0.3)
    problem.min_quality_margin = -1.0  # every recipe allowed: compare on cost and capacity alone
    _milp_design_equal_to_enumeration(problem)


def _milp_design_equal_to_enumeration(problem):
    """The MILP's design at 0.3 GWh/yr, asserted to cost what exhaustive enumeration finds (None when both
    find the problem infeasible)."""
    best = enumerate_best(problem, 0.3)
    m, outcome = milp_best(problem, 0.3, min_quality_margin=-1.0)
    if best is None:
        assert outcome.termination == "infeasible"
        return None
    design = extract_results(m, outcome)
    assert design.annual_cost_usd == pytest.approx(best.annual_cost_usd, rel=1e-6)
    assert design.output_GWh_per_year == pytest.approx(0.3, rel=1e-6)
    return design


@pytest.mark.parametrize("seed", range(4))
def test_milp_matches_enumeration_with_quality_and_capex_limits(seed, make_problem):
    problem = make_problem(np.random.default_rng(100 + seed), target_GWh=0.2)
    problem.min_quality_margin = 0.0
    unconstrained = enumerate_best(problem, 0.2)
    if unconstrained is None:
        pytest.skip("this random instance has no recipe within spec")
    problem.capex_budget_usd = unconstrained.capex_usd * 1.05
    best = enumerate_best(problem, 0.2)
    m, outcome = milp_best(problem, 0.2, capex_budget_usd=problem.capex_budget_usd)
    design = extract_results(m, outcome)
    assert design.annual_cost_usd == pytest.approx(best.annual_cost_usd, rel=1e-6)
    assert design.capex_usd <= problem.capex_budget_usd * (1 + 1e-9)
    assert all(g.quality_margin[c] >= 0 for g, c in zip(problem.groups, design.choice, strict=False))


def test_pruning_keeps_the_optimum(make_problem):
    problem = make_problem(np.random.default_rng(7), target_GWh=0.3, candidates=(40, 12))
    problem.min_quality_margin = -1.0
    reduced, kept = prune_problem(problem)
    assert sum(len(k) for k in kept) < 52
    full = extract_results(*milp_best(problem, 0.3, min_quality_margin=-1.0))
    small = extract_results(*milp_best(reduced, 0.3, min_quality_margin=-1.0))
    assert small.annual_cost_usd == pytest.approx(full.annual_cost_usd, rel=1e-6)


def test_non_dominated_by_hand():
    table = np.array([[1.0, 2.0], [2.0, 3.0], [2.0, 1.0], [1.0, 2.0], [np.inf, 0.0]])
    # row 1 is beaten by row 0; row 3 ties row 0 (first kept); row 4 makes no good sheet
    assert non_dominated(table).tolist() == [0, 2]


def test_raising_the_target_never_lowers_capex_or_cost(make_problem):
    problem = make_problem(np.random.default_rng(3), target_GWh=0.1, max_machines=12)
    m = build_model(problem)
    capex, cost = [], []
    for target in (0.05, 0.1, 0.2, 0.3, 0.4):
        fix_inputs(m, target_output_GWh=target, min_quality_margin=-1.0)
        design = extract_results(m, solve(m))
        capex.append(design.capex_usd)
        cost.append(design.annual_cost_usd)
    assert all(b >= a - 1e-6 * a for a, b in zip(capex, capex[1:], strict=False))
    assert all(b >= a - 1e-6 * a for a, b in zip(cost, cost[1:], strict=False))


def test_infeasible_target_is_refused_and_explained(make_problem):
    from twin.optimise.infeasibility import diagnose_infeasibility

    problem = make_problem(np.random.default_rng(1), target_GWh=2.0, max_machines=3)
    m = build_model(problem)
    inputs = {"target_output_GWh": 2.0, "min_quality_margin": -1.0}
    fix_inputs(m, **inputs)
    outcome = solve(m)
    assert outcome.termination == "infeasible"
    with pytest.raises(NotOptimalError, match="infeasible"):
        extract_results(m, outcome)
    findings = diagnose_infeasibility(m, "min_cost", inputs)
    groups = [f["constraint_group"] for f in findings]
    assert "output_target" in groups and "machine_limits" in groups
    reachable = float(findings[groups.index("output_target")]["detail"].split()[2])
    assert 0 < reachable < 2.0
    assert "needs" in findings[groups.index("machine_limits")]["detail"]


def test_capex_budget_too_small_is_named(make_problem):
    from twin.optimise.infeasibility import diagnose_infeasibility

    problem = make_problem(np.random.default_rng(2), target_GWh=0.2)
    inputs = {"target_output_GWh": 0.2, "min_quality_margin": -1.0, "capex_budget_usd": 1.0}
    m = build_model(problem)
    fix_inputs(m, **inputs)
    assert solve(m).termination == "infeasible"
    findings = diagnose_infeasibility(m, "min_cost", inputs)
    assert [f["constraint_group"] for f in findings] == ["capex_budget"]
    assert "needs at least" in findings[0]["detail"]


def test_output_shadow_price_is_the_marginal_variable_cost(make_problem):
    # With machines fixed, one more good sheet costs the variable cost of every sheet started for it:
    # sum over steps of variable cost x sheets entering per good sheet out (computed by hand here).
    problem = make_problem(np.random.default_rng(5), target_GWh=0.2)
    m = build_model(problem)
    fix_inputs(m, target_output_GWh=0.2, min_quality_margin=-1.0)
    design = extract_results(m, solve(m))
    per_good_sheet = 0.0
    reach = 1.0
    for stage in reversed(problem.stages):
        k = 0 if stage.group is None else design.choice[stage.group]
        reach /= stage.yield_fraction[k]
        per_good_sheet += stage.variable_cost_usd_per_sheet[k] * reach
    expected_usd_per_GWh = per_good_sheet / problem.kWh_per_good_sheet * 1e6
    prices = shadow_prices(m)
    assert prices["output_target"]["shadow_price"] == pytest.approx(expected_usd_per_GWh, rel=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_milp_with_per_candidate_pieces_equals_exhaustive_enumeration(seed, make_problem):
    # each candidate's own good pieces per sheet (DecisionGroup.piece_factor): the later group's weights its own
    # flows, the earlier group's scales the output through the big-M held variable (twin.optimise.model);
    # enumeration prices every combination with design_figures, which divides by the design's kWh per sheet
    rng = np.random.default_rng(200 + seed)
    problem = make_problem(rng, target_GWh=0.3)
    problem.min_quality_margin = -1.0
    for group in problem.groups if seed % 2 == 0 else problem.groups[:1]:   # odd seeds: the earlier group only
        group.piece_factor = rng.uniform(0.7, 1.1, group.candidates)
    design = _milp_design_equal_to_enumeration(problem)
    if design is None:
        return
    again = design_figures(problem, design.choice, design.pattern, design.output_GWh_per_year)
    assert again.sheets_good_out_per_year[-1] == pytest.approx(design.sheets_good_out_per_year[-1], rel=1e-6)
